import { lazy } from "react";
import { SHAREABLE_OBJECTS } from "../features/sharing/api/sharing-queries";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const ShareRecordAction = lazy(() => import("../features/sharing/share-record-action").then((module) => ({ default: module.ShareRecordAction })));

// "Sharing" on the record page of every object with an organization-wide default.
for (const object of SHAREABLE_OBJECTS) registerRecordExtension(object, { actions: [ShareRecordAction] });
