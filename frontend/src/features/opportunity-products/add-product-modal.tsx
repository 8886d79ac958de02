import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Combobox } from "../../components/combobox";
import { FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { useCurrency } from "../../lib/session";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { useFieldErrors } from "../../lib/use-field-errors";
import { formatCurrency } from "../../records/fields/format";
import { productCatalogQuery, useOpportunityChange, type Product } from "./api/opportunity-products-queries";

export type AddProductModalProps = { opportunityId: number; onClose: () => void };

/** Add Product: search the active catalog in a combobox, pick one, set quantity and sales price (the list price by default). */
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
  const searching = products.isFetching && !rows.length;
  return (
    <Modal title={t("sales.products.add")} onClose={onClose} size="medium" footer={<ModalFooter onCancel={onClose} form={formId} busy={change.isPending} />}>
      <form id={formId} noValidate onSubmit={submit}>
        <FormElement id={`${formId}-product`} label={t("sales.products.product")} required errors={errors.product_id}>
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
                    meta: [
                      item.product_code,
                      formatCurrency(item.standard_list_price, i18n.language, currency),
                      item.is_retainer_product ? t("sales.products.retainer") : "",
                    ]
                      .filter(Boolean)
                      .join(" • "),
                  })),
                },
              ]}
              onSelect={choose}
              message={rows.length ? null : searching ? t("form.lookupSearching") : t("sales.products.noMatches")}
              placeholder={t("sales.products.searchPlaceholder")}
              required
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
