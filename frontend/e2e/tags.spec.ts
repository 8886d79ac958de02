import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type TagRef = { id: number; name: string; colour: string };
type Row = { id: number; last_name: string; tags: TagRef[] };
type List<T> = { count: number; results: T[] };

async function apiPost<T>(page: Page, path: string, data: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request.post(`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.status(), `POST ${path}`).toBeLessThan(300);
  return (await response.json()) as T;
}

test("tag a contact, filter the contacts list by the tag, and see it in a segment's count", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const tagName = `Newsletter ${suffix}`;
  await signIn(page);
  const account = await apiPost<{ id: number }>(page, "accounts", { name: `Tagged Ltd ${suffix}`, type: "Customer" });
  const contact = await apiPost<{ id: number }>(page, "contacts", { first_name: "Mila", last_name: `Tagged ${suffix}`, account_id: account.id });
  await apiPost(page, "contacts", { first_name: "Niko", last_name: `Untagged ${suffix}`, account_id: account.id });

  // Tag the contact with a new tag, made on the fly from the combobox.
  await page.goto(`/o/contact/${contact.id}`);
  await expect(page.getByRole("heading", { level: 1, name: `Mila Tagged ${suffix}` })).toBeVisible();
  const tags = page.getByRole("list", { name: "Tags" });
  await expect(tags.getByText("No tags yet")).toBeVisible();
  const input = page.getByRole("combobox", { name: "Add a tag" });
  await input.click();
  await input.fill(tagName);
  await page.getByRole("option", { name: `Create tag “${tagName}”` }).click();
  await expect(tags.getByText(tagName, { exact: true })).toBeVisible();
  const saved = await apiGet<Row>(page, `contacts/${contact.id}`);
  expect(saved.tags.map((tag) => tag.name)).toEqual([tagName]);
  const tagId = saved.tags[0].id;

  // The contacts list filtered by the tag shows only the tagged contact.
  await page.goto("/o/contact");
  await page.getByRole("combobox", { name: "Tag" }).selectOption({ label: tagName });
  await expect(page).toHaveURL(new RegExp(`f\\.tag=${tagId}`));
  const table = page.getByRole("grid").or(page.getByRole("table")).first();
  await expect(table.getByRole("link", { name: `Mila Tagged ${suffix}` })).toBeVisible();
  await expect(table.getByRole("link", { name: `Niko Untagged ${suffix}` })).toHaveCount(0);
  const filtered = await apiGet<List<Row>>(page, `contacts?tag=${encodeURIComponent(tagName)}`);
  expect(filtered.results.map((row) => row.id)).toEqual([contact.id]);

  // A segment on the tag counts the contact, live.
  const segment = await apiPost<{ id: number }>(page, "segments", {
    name: `Tagged ${suffix}`,
    target: "contacts",
    definition: { match: "all", conditions: [{ type: "tag", tag_id: tagId }] },
  });
  expect((await apiGet<{ total: number }>(page, `segments/${segment.id}/preview`)).total).toBe(1);

  // Taking the tag off with the pill's x empties the segment.
  await page.goto(`/o/contact/${contact.id}`);
  await page.getByRole("button", { name: `Remove tag ${tagName}` }).click();
  await expect(page.getByRole("list", { name: "Tags" }).getByText("No tags yet")).toBeVisible();
  expect((await apiGet<{ total: number }>(page, `segments/${segment.id}/preview`)).total).toBe(0);

  // Setup › Tags lists the tag with its usage.
  await page.goto("/setup/tags");
  await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: tagName })).toBeVisible();
});
