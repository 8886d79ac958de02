import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const reminders = () => import("../features/collections/reminder-actions");
const SendReminderAction = lazy(() => reminders().then((module) => ({ default: module.SendReminderAction })));
const PauseRemindersAction = lazy(() => reminders().then((module) => ({ default: module.PauseRemindersAction })));
const NoRemindersAction = lazy(() => reminders().then((module) => ({ default: module.NoRemindersAction })));
const InvoiceRemindersCard = lazy(() => reminders().then((module) => ({ default: module.InvoiceRemindersCard })));
const AccountRemindersCard = lazy(() => reminders().then((module) => ({ default: module.AccountRemindersCard })));

registerRecordExtension("invoice", { actions: [SendReminderAction, PauseRemindersAction], sections: [InvoiceRemindersCard] });
registerRecordExtension("account", { actions: [NoRemindersAction], sections: [AccountRemindersCard] });
