import { expect, test } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Contact = { id: number; email: string; title: string; is_active: boolean };

function csv(rows: string[][]): { name: string; mimeType: string; buffer: Buffer } {
  return { name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(rows.map((row) => row.join(",")).join("\n") + "\n") };
}

test("import contacts with a mapping and errors, fix the file, import it again as an update, then undo", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "/o/contact");
  const accounts = await apiGet<{ results: { name: string }[] }>(page, "accounts?page_size=1");
  const account = accounts.results[0].name;
  const tag = Date.now().toString(36);
  const ana = `ana.${tag}@import.example`;
  const boris = `boris.${tag}@import.example`;

  // the list page offers Import (and Export)
  await expect(page.getByRole("link", { name: "Export as CSV" })).toHaveAttribute("href", /\/api\/v1\/contacts\/export\?.*format=csv/);
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import Contacts" })).toBeVisible();

  // upload: a file whose second row has a broken e-mail address
  await page.getByLabel("File").setInputFiles(
    csv([
      ["First name", "Last name", "E-mail", "Job title", "Company"],
      ["Ana", "Ivanova", ana, "Intern", account],
      ["Boris", "Petrov", "boris-at-nowhere", "Analyst", account],
    ]),
  );
  await page.getByRole("button", { name: "Next" }).click();

  // mapping: suggested from the headers; the title column is mapped by hand
  await expect(page.getByLabel("Field for column E-mail")).toHaveValue("email");
  await expect(page.getByLabel("Field for column Company")).toHaveValue("account_id");
  await page.getByLabel("Field for column Job title").selectOption("title");

  // dry run: the report names the row and column, nothing is saved
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByText("Dry run finished: nothing was saved.")).toBeVisible();
  const errors = page.getByRole("table", { name: "Rows with errors" });
  await expect(errors.getByRole("row").nth(1)).toContainText("3");
  await expect(errors.getByRole("row").nth(1)).toContainText("E-mail");
  await expect(page.getByRole("link", { name: "Download the error report (CSV)" })).toBeVisible();

  // import the good rows
  await page.getByRole("button", { name: "Change the mapping" }).click();
  await page.getByLabel("When some rows have errors").selectOption("partial");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("The import finished.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("import-created")).toHaveText("1");
  await expect(page.getByTestId("import-errors")).toHaveText("1");

  // fix the file and import it again as create and update
  await page.getByRole("button", { name: "Import another file" }).click();
  await page.getByLabel("File").setInputFiles(
    csv([
      ["First name", "Last name", "E-mail", "Job title", "Company"],
      ["Ana", "Ivanova", ana, "Head of Sales", account],
      ["Boris", "Petrov", boris, "Analyst", account],
    ]),
  );
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Field for column Job title").selectOption("title");
  await page.getByLabel("Records").selectOption("upsert");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("The import finished.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("import-created")).toHaveText("1");
  await expect(page.getByTestId("import-updated")).toHaveText("1");
  await expect(page.getByTestId("import-errors")).toHaveText("0");
  const updated = await apiGet<{ results: Contact[] }>(page, `contacts?email=${encodeURIComponent(ana)}`);
  expect(updated.results[0].title).toBe("Head of Sales");

  // undo: Boris is removed, Ana has her old title back
  await page.getByRole("button", { name: "Undo import" }).click();
  await expect(page.getByText(/Undone: 1 created records removed, 1 restored/)).toBeVisible();
  await expect(page.getByText("This import was undone.")).toBeVisible();
  const restored = await apiGet<{ results: Contact[] }>(page, `contacts?email=${encodeURIComponent(ana)}`);
  expect(restored.results[0].title).toBe("Intern");
  const removed = await apiGet<{ results: Contact[] }>(page, `contacts?email=${encodeURIComponent(boris)}&is_active=false`);
  expect(removed.results.map((row) => row.is_active)).toEqual([false]);
});
