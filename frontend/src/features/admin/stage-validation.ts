export type StageRow = { key: string; name: string; probability: number | string; is_closed: boolean; is_won: boolean; is_active: boolean };

/** Error keys follow the API: "<index>.<field>" for a row, "non_field_errors" for the list. Values are i18n keys. */
export type StageErrors = Record<string, string[]>;

/** The checks the server makes on PUT /opportunity-stages, run before saving so errors show at once. */
export function validateStages(rows: StageRow[]): StageErrors {
  const errors: StageErrors = {};
  const add = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const name = row.name.trim();
    if (!name) add(`${index}.name`, "work.admin.errors.nameRequired");
    else {
      const key = name.toLocaleLowerCase();
      if (seen.has(key)) add(`${index}.name`, "work.admin.errors.nameDuplicate");
      seen.set(key, index);
    }
    const probability = Number(row.probability);
    if (row.probability === "" || !Number.isInteger(probability) || probability < 0 || probability > 100) {
      add(`${index}.probability`, "work.admin.errors.probabilityRange");
    }
    if (row.is_won && !row.is_closed) add(`${index}.is_won`, "work.admin.errors.wonNotClosed");
  });
  const active = rows.filter((row) => row.is_active);
  if (!active.some((row) => !row.is_closed)) add("non_field_errors", "work.admin.errors.needOpen");
  if (!active.some((row) => row.is_won)) add("non_field_errors", "work.admin.errors.needWon");
  return errors;
}

export function moveRow<T>(rows: T[], from: number, to: number): T[] {
  if (to < 0 || to >= rows.length) return rows;
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row);
  return next;
}
