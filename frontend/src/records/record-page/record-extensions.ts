import type { ComponentType } from "react";
import type { ObjectMeta, RecordData } from "../metadata/types";

export type RecordExtensionProps = {
  meta: ObjectMeta;
  record: RecordData;
  canWrite: boolean;
  /** The record's own fields and lines may change: writable and not locked by its status (`locked_when`). */
  canEdit?: boolean;
  /** Refetch the record (and its related lists). */
  refresh: () => void;
};

export type ListExtensionProps = { meta: ObjectMeta };

/** A page that takes the place of the generic record page (an editor or a builder for the object). */
export type RecordPageProps = { meta: ObjectMeta; id: number };

/**
 * Per-object additions to the generic pages, registered from `objects/<name>.ts`:
 * extra header actions, extra cards, related lists replaced by a richer card, and Path rules.
 */
export type RecordExtension = {
  /** Buttons shown in the highlights panel next to Edit. */
  actions?: ComponentType<RecordExtensionProps>[];
  /** Cards shown above the related lists. */
  sections?: ComponentType<RecordExtensionProps>[];
  /** Related lists (by `key` or `object`) that a section replaces. */
  hiddenRelated?: string[];
  /** Which Path steps the user may click; all of them when absent. */
  pathSelectable?: (record: RecordData, value: string) => boolean;
  /** Controls shown in the list view header (e.g. a view switch). */
  listControls?: ComponentType<ListExtensionProps>[];
  /** The object's own record page (an email template's editor); list links and lookups lead to it. */
  page?: ComponentType<RecordPageProps>;
};

const registry = new Map<string, RecordExtension>();

/** Add to an object's extension; actions and sections from several registrations add up. */
export function registerRecordExtension(object: string, extension: RecordExtension): void {
  const current = registry.get(object) ?? {};
  registry.set(object, {
    ...current,
    ...extension,
    actions: [...(current.actions ?? []), ...(extension.actions ?? [])],
    sections: [...(current.sections ?? []), ...(extension.sections ?? [])],
  });
}

export function recordExtension(object: string): RecordExtension {
  return registry.get(object) ?? {};
}

const relatedSections = new Map<string, ComponentType<RecordExtensionProps>>();

/**
 * A card that replaces the generic related list with this `key` on every object that has one
 * (e.g. the activity timeline for "activities"). Such cards come first in the side column.
 */
export function registerRelatedSection(key: string, section: ComponentType<RecordExtensionProps>): void {
  relatedSections.set(key, section);
}

export function relatedSection(key: string): ComponentType<RecordExtensionProps> | undefined {
  return relatedSections.get(key);
}
