import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const RecordRunsSection = lazy(() => import("../features/automation/record-runs-section").then((module) => ({ default: module.RecordRunsSection })));

// The workflow runs on a record (administrators see them; the API serves them to administrators only).
for (const object of ["lead", "account", "contact", "opportunity", "case", "order", "contract", "payment", "activity"]) {
  registerRecordExtension(object, { sections: [RecordRunsSection] });
}
