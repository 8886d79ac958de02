import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const ConvertLeadAction = lazy(() => import("../features/lead-conversion/convert-lead-action").then((module) => ({ default: module.ConvertLeadAction })));

registerRecordExtension("lead", { actions: [ConvertLeadAction] });
