import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Combobox } from "../../components/combobox";
import { FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useToast } from "../../components/toast";
import { api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { useFieldErrors } from "../../lib/use-field-errors";
import { recordKeys } from "../../records/api/record-queries";
import { formatCurrency } from "../../records/fields/format";
import { productCatalogQuery, type Product } from "../opportunity-products/api/opportunity-products-queries";

export type DocumentLine = {
  id: number;
  product_id: number | null;
  product_name: string | null;
  description: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  vat_rate: string;
  tax_category: string;
  net_amount: string;
  version: number;
};

export const TAX_CATEGORIES = ["S", "Z", "E", "AE", "K", "O"] as const;

type Props = {
  /** "quotes" or "invoices" */
  apiPath: string;
  object: string;
  recordId: number;
  line?: DocumentLine;
  onClose: () => void;
};

/** Add or edit a line of a draft quote or invoice: product, quantity, unit price, discount and VAT. */
export function DocumentLineModal({ apiPath, object, recordId, line, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const toast = useToast();
  const queryClient = useQueryClient();
  const formId = useId();
  const [term, setTerm] = useState("");
  const debounced = useDebouncedValue(term.trim(), 250);
  const [product, setProduct] = useState<{ id: number; name: string } | null>(line?.product_id ? { id: line.product_id, name: line.product_name ?? "" } : null);
  const [description, setDescription] = useState(line?.description ?? "");
  const [quantity, setQuantity] = useState(line ? String(Number(line.quantity)) : "1");
  const [price, setPrice] = useState(line?.unit_price ?? "");
  const [discount, setDiscount] = useState(line ? String(Number(line.discount_percent)) : "0");
  const [vatRate, setVatRate] = useState(line?.vat_rate ?? "20.00");
  const [category, setCategory] = useState(line?.tax_category ?? "S");
  const { errors, validate, showError, clear, formError } = useFieldErrors({ summary: true });
  const products = useQuery(productCatalogQuery(debounced));
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      line
        ? api.patch(`${apiPath}/${recordId}/line_items/${line.id}`, { ...body, version: line.version })
        : api.post(`${apiPath}/${recordId}/line_items`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(object) });
      toast.show({ variant: "success", message: line ? t("sales.invoicing.lineSaved") : t("sales.invoicing.lineAdded") });
      onClose();
    },
  });

  const choose = (item: Product) => {
    setProduct({ id: item.id, name: item.name });
    setPrice(item.standard_list_price);
    if (!description) setDescription(item.name);
    clear();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      product_id: product || apiPath === "invoices" ? undefined : t("sales.products.selectProduct"),
      description: product || description.trim() ? undefined : t("sales.invoicing.describeLine"),
      quantity: Number(quantity) > 0 ? undefined : t("sales.products.positive"),
      unit_price: price !== "" && Number(price) >= 0 ? undefined : t("sales.products.notNegative"),
      discount_percent: discount === "" || (Number(discount) >= 0 && Number(discount) <= 100) ? undefined : t("sales.invoicing.percent"),
      vat_rate: vatRate !== "" && Number(vatRate) >= 0 && Number(vatRate) <= 100 ? undefined : t("sales.invoicing.percent"),
    });
    if (!ok) return;
    const body: Record<string, unknown> = {
      description,
      quantity,
      unit_price: price,
      discount_percent: discount || "0",
      vat_rate: vatRate,
      tax_category: category,
    };
    if (product) body.product_id = product.id;
    try {
      await save.mutateAsync(body);
    } catch (error) {
      showError(error);
    }
  };

  const rows = products.data?.results ?? [];
  const half = "slds-col slds-size_1-of-1 slds-small-size_1-of-2 slds-m-top_small";
  return (
    <Modal
      title={line ? t("sales.invoicing.editLine") : t("sales.invoicing.addLine")}
      onClose={onClose}
      size="medium"
      footer={<ModalFooter onCancel={onClose} form={formId} busy={save.isPending} />}
    >
      <form id={formId} noValidate onSubmit={submit}>
        {formError ? (
          <div className="slds-text-color_error slds-m-bottom_small" role="alert">
            {formError}
          </div>
        ) : null}
        <FormElement id={`${formId}-product`} label={t("sales.products.product")} required={apiPath === "quotes"} errors={errors.product_id}>
          {({ id, invalid, describedBy }) => (
            <Combobox<Product>
              id={id}
              inputValue={term}
              onInputChange={setTerm}
              groups={[
                {
                  key: "products",
                  items: rows.map((item) => ({
                    key: String(item.id),
                    value: item,
                    icon: "product",
                    title: item.name,
                    meta: [item.product_code, formatCurrency(item.standard_list_price, i18n.language, currency)].filter(Boolean).join(" • "),
                  })),
                },
              ]}
              onSelect={choose}
              message={rows.length ? null : products.isFetching ? t("form.lookupSearching") : t("sales.products.noMatches")}
              placeholder={t("sales.products.searchPlaceholder")}
              invalid={invalid}
              describedBy={describedBy}
              listLabel={t("sales.products.title")}
              selection={product ? { title: product.name, icon: "product" } : null}
              onClear={() => {
                setProduct(null);
                setTerm("");
              }}
            />
          )}
        </FormElement>
        <FormElement id={`${formId}-description`} label={t("sales.invoicing.description")} errors={errors.description} className="slds-m-top_small">
          {({ aria }) => (
            <input {...aria} className="slds-input" maxLength={255} value={description} onChange={(event) => setDescription(event.target.value)} />
          )}
        </FormElement>
        <div className="slds-grid slds-gutters_small slds-wrap">
          <FormElement id={`${formId}-quantity`} label={t("sales.products.quantity")} required errors={errors.quantity} className={half}>
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                type="number"
                min="0.01"
                step="any"
                value={quantity}
                onChange={(event) => setQuantity(event.target.value)}
              />
            )}
          </FormElement>
          <FormElement id={`${formId}-price`} label={t("sales.billing.unitPrice")} required errors={errors.unit_price} className={half}>
            {({ aria }) => (
              <input {...aria} className="slds-input" type="number" min="0" step="0.01" value={price} onChange={(event) => setPrice(event.target.value)} />
            )}
          </FormElement>
          <FormElement id={`${formId}-discount`} label={t("sales.invoicing.discountPercent")} errors={errors.discount_percent} className={half}>
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                type="number"
                min="0"
                max="100"
                step="0.01"
                value={discount}
                onChange={(event) => setDiscount(event.target.value)}
              />
            )}
          </FormElement>
          <FormElement id={`${formId}-vat`} label={t("sales.invoicing.vatRate")} required errors={errors.vat_rate} className={half}>
            {({ aria }) => (
              <input
                {...aria}
                className="slds-input"
                type="number"
                min="0"
                max="100"
                step="0.01"
                value={vatRate}
                onChange={(event) => setVatRate(event.target.value)}
              />
            )}
          </FormElement>
          <FormElement id={`${formId}-category`} label={t("sales.invoicing.taxCategory")} required errors={errors.tax_category} className={half}>
            {({ aria }) => (
              <div className="slds-select_container">
                <select
                  {...aria}
                  className="slds-select"
                  value={category}
                  onChange={(event) => {
                    setCategory(event.target.value);
                    if (event.target.value !== "S") setVatRate("0");
                    else if (Number(vatRate) === 0) setVatRate("20.00");
                  }}
                >
                  {TAX_CATEGORIES.map((code) => (
                    <option key={code} value={code}>
                      {t(`sales.invoicing.categories.${code}`)}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </FormElement>
        </div>
      </form>
    </Modal>
  );
}
