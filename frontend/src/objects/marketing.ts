import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const TemplateEditorPage = lazy(() => import("../features/marketing/template-editor-page").then((module) => ({ default: module.TemplateEditorPage })));
const SegmentBuilderPage = lazy(() => import("../features/marketing/segment-builder-page").then((module) => ({ default: module.SegmentBuilderPage })));
const EmailSendPage = lazy(() => import("../features/marketing/email-send-page").then((module) => ({ default: module.EmailSendPage })));
const cards = () => import("../features/marketing/campaign-cards");
const CampaignRoiCard = lazy(() => cards().then((module) => ({ default: module.CampaignRoiCard })));
const CampaignMembersCard = lazy(() => cards().then((module) => ({ default: module.CampaignMembersCard })));
const CampaignEmailStatsCard = lazy(() => cards().then((module) => ({ default: module.CampaignEmailStatsCard })));

// Email templates, segments and email sends open in their own editor, builder and send page;
// their list views, New forms and lookups stay the generic ones.
registerRecordExtension("email_template", { page: TemplateEditorPage });
registerRecordExtension("segment", { page: SegmentBuilderPage });
registerRecordExtension("email_campaign", { page: EmailSendPage });
// A campaign's record page adds its return on investment, its members (with their status) and the
// email statistics of its sends.
registerRecordExtension("campaign", { sections: [CampaignRoiCard, CampaignMembersCard, CampaignEmailStatsCard] });
