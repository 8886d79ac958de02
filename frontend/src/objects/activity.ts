import { lazy } from "react";
import { registerRelatedSection } from "../records/record-page/record-extensions";

const ActivityTimeline = lazy(() => import("../features/activities/activity-timeline").then((module) => ({ default: module.ActivityTimeline })));

// Every object with an "activities" related list shows the timeline instead.
registerRelatedSection("activities", ActivityTimeline);
