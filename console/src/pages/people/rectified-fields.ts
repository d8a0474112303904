import type { Translate } from '../../i18n';

/** The fields a rectification changed, in the console's language ("Vārds, Valoda"). */
export function rectifiedFields(fields: readonly string[], t: Translate): string {
  return fields.map((f) => t(f === 'name' ? 'people.name' : 'people.person.language')).join(', ');
}

// The ledger records a rectification's fields in a fixed form (`changed: name, locale`), as evidence.
const RECORDED_CHANGE = /^changed: ((?:name|locale)(?:, (?:name|locale))*)$/;

/** An event's note for the timeline: a rectification's recorded fields said in the console's language. */
export function eventNote(note: string, t: Translate): string {
  const recorded = RECORDED_CHANGE.exec(note);
  return recorded ? t('people.event.changed', { fields: rectifiedFields(recorded[1]!.split(', '), t) }) : note;
}
