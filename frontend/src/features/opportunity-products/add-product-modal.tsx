import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "../../components/icon";
import { Modal } from "../../components/modal";
import { ApiError, api, type Page } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";
import { useOpportunityChange } from "./line-items";

type Product = { id: number; name: string; product_code: string; standard_list_price: string; is_retainer_product: boolean };

export type AddProductModalProps = { opportunityId: number; onClose: () => void };

/** Add Product: search the active catalog, pick one, set quantity and sales price (the list price by default). */
export function AddProductModal({ opportunityId, onClose }: AddProductModalProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const formId = useId();
  const [term, setTerm] = useState("");
  const [debounced, setDebounced] = useState("");
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const change = useOpportunityChange(opportunityId);

  useEffect(() => {
    const handle = window.setTimeout(() => setDebounced(term.trim()), 250);
    return () => window.clearTimeout(handle);
  }, [term]);

  const products = useQuery({
    queryKey: ["product", "catalog", debounced],
    queryFn: ({ signal }) => api.get<Page<Product>>("products", { search: debounced, page_size: 8, ordering: "name" }, signal),
  });

  const choose = (item: Product) => {
    setProduct(item);
    setPrice(item.standard_list_price);
    setErrors({});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!product) next.product_id = t("sales.products.selectProduct");
    if (!(Number(quantity) > 0)) next.quantity = t("sales.products.positive");
    if (price === "" || !(Number(price) >= 0)) next.sale_price = t("sales.products.notNegative");
    setErrors(next);
    if (Object.keys(next).length || !product) return;
    try {
      await change.mutateAsync({
        method: "POST",
        path: "line_items",
        body: { product_id: product.id, quantity, sale_price: price },
        success: t("sales.products.added", { name: product.name }),
      });
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([key, value]) => [key, value.join(" ")])));
      }
    }
  };

  const rows = products.data?.results ?? [];
  const fieldError = (name: string) =>
    errors[name] ? (
      <div className="slds-form-element__help" id={`${formId}-${name}-error`}>
        {errors[name]}
      </div>
    ) : null;

  return (
    <Modal
      title={t("sales.products.add")}
      onClose={onClose}
      size="medium"
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" form={formId} className="slds-button slds-button_brand" disabled={change.isPending}>
            {change.isPending ? t("common.saving") : t("common.save")}
          </button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={submit}>
        <div className="slds-form-element slds-m-bottom_small">
          <label className="slds-form-element__label" htmlFor={`${formId}-search`}>
            {t("sales.products.search")}
          </label>
          <div className="slds-form-element__control slds-input-has-icon slds-input-has-icon_left">
            <Icon category="utility" name="search" className="slds-icon slds-input__icon slds-input__icon_left slds-icon-text-default" />
            <input
              id={`${formId}-search`}
              type="search"
              className="slds-input"
              placeholder={t("sales.products.searchPlaceholder")}
              value={term}
              onChange={(event) => setTerm(event.target.value)}
            />
          </div>
        </div>
        <fieldset className={`slds-form-element${errors.product_id ? " slds-has-error" : ""}`}>
          <legend className="slds-assistive-text">{t("sales.products.product")}</legend>
          <div className="crm-table-scroll crm-product-picker">
            <table className="slds-table slds-table_bordered slds-table_cell-buffer slds-table_fixed-layout" aria-label={t("sales.products.title")}>
              <thead>
                <tr className="slds-line-height_reset">
                  <th scope="col" className="crm-col-select">
                    <span className="slds-assistive-text">{t("sales.products.product")}</span>
                  </th>
                  <th scope="col">{t("sales.products.product")}</th>
                  <th scope="col">{t("sales.products.code")}</th>
                  <th scope="col" className="slds-text-align_right">
                    {t("sales.products.listPrice")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((item) => (
                  <tr key={item.id} className={product?.id === item.id ? "slds-is-selected" : undefined} onClick={() => choose(item)}>
                    <td>
                      <span className="slds-radio">
                        <input
                          type="radio"
                          id={`${formId}-p${item.id}`}
                          name={`${formId}-product`}
                          checked={product?.id === item.id}
                          onChange={() => choose(item)}
                        />
                        <label className="slds-radio__label" htmlFor={`${formId}-p${item.id}`}>
                          <span className="slds-radio_faux" />
                          <span className="slds-assistive-text">{item.name}</span>
                        </label>
                      </span>
                    </td>
                    <th scope="row">
                      <div className="slds-truncate" title={item.name}>
                        {item.name}
                        {item.is_retainer_product ? <span className="slds-badge slds-m-left_x-small">{t("sales.products.retainer")}</span> : null}
                      </div>
                    </th>
                    <td>
                      <div className="slds-truncate">{item.product_code}</div>
                    </td>
                    <td className="slds-text-align_right">{formatCurrency(item.standard_list_price, i18n.language, currency)}</td>
                  </tr>
                ))}
                {!products.isLoading && rows.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="slds-text-align_center slds-text-color_weak">
                      {t("sales.products.noMatches")}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          {fieldError("product_id")}
        </fieldset>
        <div className="slds-grid slds-gutters_small slds-wrap slds-m-top_small">
          <div className={`slds-col slds-size_1-of-1 slds-small-size_1-of-2 slds-form-element${errors.quantity ? " slds-has-error" : ""}`}>
            <label className="slds-form-element__label" htmlFor={`${formId}-quantity`}>
              <abbr className="slds-required" title={t("common.required")}>
                *
              </abbr>
              {t("sales.products.quantity")}
            </label>
            <input
              id={`${formId}-quantity`}
              className="slds-input"
              type="number"
              min="0.01"
              step="any"
              value={quantity}
              aria-invalid={errors.quantity ? true : undefined}
              aria-describedby={errors.quantity ? `${formId}-quantity-error` : undefined}
              onChange={(event) => setQuantity(event.target.value)}
            />
            {fieldError("quantity")}
          </div>
          <div className={`slds-col slds-size_1-of-1 slds-small-size_1-of-2 slds-form-element${errors.sale_price ? " slds-has-error" : ""}`}>
            <label className="slds-form-element__label" htmlFor={`${formId}-price`}>
              <abbr className="slds-required" title={t("common.required")}>
                *
              </abbr>
              {t("sales.products.salesPrice")}
            </label>
            <input
              id={`${formId}-price`}
              className="slds-input"
              type="number"
              min="0"
              step="0.01"
              value={price}
              aria-invalid={errors.sale_price ? true : undefined}
              aria-describedby={errors.sale_price ? `${formId}-sale_price-error` : undefined}
              onChange={(event) => setPrice(event.target.value)}
            />
            {fieldError("sale_price")}
          </div>
        </div>
      </form>
    </Modal>
  );
}
