import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { FormElement, ModalFooter, SearchInput } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useCurrency } from "../../lib/session";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { useFieldErrors } from "../../lib/use-field-errors";
import { formatCurrency } from "../../records/fields/format";
import { productCatalogQuery, useOpportunityChange, type Product } from "./api/opportunity-products-queries";

export type AddProductModalProps = { opportunityId: number; onClose: () => void };

/** Add Product: search the active catalog, pick one, set quantity and sales price (the list price by default). */
export function AddProductModal({ opportunityId, onClose }: AddProductModalProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const formId = useId();
  const [term, setTerm] = useState("");
  const debounced = useDebouncedValue(term.trim(), 250);
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const { errors, validate, showError, clear } = useFieldErrors();
  const change = useOpportunityChange(opportunityId);
  const products = useQuery(productCatalogQuery(debounced));

  const choose = (item: Product) => {
    setProduct(item);
    setPrice(item.standard_list_price);
    clear();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = validate({
      product_id: product ? undefined : t("sales.products.selectProduct"),
      quantity: Number(quantity) > 0 ? undefined : t("sales.products.positive"),
      sale_price: price !== "" && Number(price) >= 0 ? undefined : t("sales.products.notNegative"),
    });
    if (!ok || !product) return;
    try {
      await change.mutateAsync({
        method: "POST",
        path: "line_items",
        body: { product_id: product.id, quantity, sale_price: price },
        success: t("sales.products.added", { name: product.name }),
      });
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const rows = products.data?.results ?? [];
  return (
    <Modal title={t("sales.products.add")} onClose={onClose} size="medium" footer={<ModalFooter onCancel={onClose} form={formId} busy={change.isPending} />}>
      <form id={formId} noValidate onSubmit={submit}>
        <SearchInput
          id={`${formId}-search`}
          label={t("sales.products.search")}
          placeholder={t("sales.products.searchPlaceholder")}
          value={term}
          onChange={setTerm}
          className="slds-m-bottom_small"
        />
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
          {errors.product_id ? (
            <div className="slds-form-element__help" id={`${formId}-product_id-error`}>
              {errors.product_id.join(" ")}
            </div>
          ) : null}
        </fieldset>
        <div className="slds-grid slds-gutters_small slds-wrap slds-m-top_small">
          <FormElement
            id={`${formId}-quantity`}
            label={t("sales.products.quantity")}
            required
            errors={errors.quantity}
            className="slds-col slds-size_1-of-1 slds-small-size_1-of-2"
          >
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
          <FormElement
            id={`${formId}-price`}
            label={t("sales.products.salesPrice")}
            required
            errors={errors.sale_price}
            className="slds-col slds-size_1-of-1 slds-small-size_1-of-2"
          >
            {({ aria }) => (
              <input {...aria} className="slds-input" type="number" min="0" step="0.01" value={price} onChange={(event) => setPrice(event.target.value)} />
            )}
          </FormElement>
        </div>
      </form>
    </Modal>
  );
}
