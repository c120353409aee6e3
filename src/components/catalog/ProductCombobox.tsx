"use client";
import { keepPreviousData } from "@tanstack/react-query";
import { useCombobox } from "downshift";
import { useState } from "react";
import { useDebounced } from "~/components/kb/useDebounced";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

export interface ProductChoice {
  id: string;
  name: string;
}

/**
 * The product lookup as the customer types: an ARIA 1.2 combobox (downshift's useCombobox: the input,
 * its listbox, arrow keys, Enter, Escape and the announcements), fed by a debounced server search.
 * Downshift owns the input's text and the chosen item: it reports changes from an effect, after the
 * render, so a text held in our state and fed back would drop a key typed in between (it did, on a
 * loaded machine). `text` only drives the search.
 */
export function ProductCombobox({ value, onChange, error, errorId }: { value: ProductChoice | null; onChange: (p: ProductChoice | null) => void; error?: string; errorId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(value?.name ?? "");
  const q = useDebounced(text.trim(), 200);
  const search = api.catalog.searchProducts.useQuery({ q }, { placeholderData: keepPreviousData, staleTime: 30_000 });
  const items = search.data ?? [];
  const { isOpen, getLabelProps, getInputProps, getMenuProps, getItemProps, highlightedIndex, selectItem } = useCombobox<ProductChoice>({
    items,
    itemToString: (p) => p?.name ?? "",
    itemToKey: (p) => p?.id ?? null,
    initialSelectedItem: value,
    initialInputValue: value?.name ?? "",
    // Typing over a chosen product un-chooses it: what is sent is always what the list offered.
    stateReducer: (state, { type, changes }) =>
      type === useCombobox.stateChangeTypes.InputChange && state.selectedItem && changes.inputValue !== state.selectedItem.name ? { ...changes, selectedItem: null } : changes,
    onInputValueChange: ({ inputValue }) => setText(inputValue ?? ""),
    onSelectedItemChange: ({ selectedItem }) => onChange(selectedItem ?? null),
  });
  const hintId = `${errorId}-hint`;

  return (
    <div className="product-combobox">
      <label {...getLabelProps()}>{t("newTicket.productLabel")}</label>
      <div className="row">
        <input {...getInputProps({ "aria-describedby": error ? `${hintId} ${errorId}` : hintId, "aria-invalid": !!error })} autoComplete="off" maxLength={120} />
        {value && (
          <button type="button" onClick={() => selectItem(null)}>
            {t("newTicket.productClear")}
          </button>
        )}
      </div>
      <ul {...getMenuProps()} className="combobox-list" hidden={!isOpen}>
        {isOpen &&
          items.map((p, index) => (
            <li key={p.id} {...getItemProps({ item: p, index })} className={highlightedIndex === index ? "highlighted" : undefined}>
              {p.name}
            </li>
          ))}
      </ul>
      {isOpen && items.length === 0 && q && !search.isFetching && (
        <p className="muted" role="status">
          {t("newTicket.productNone", { q })}
        </p>
      )}
      <span id={hintId} className="muted">
        {t("newTicket.productHint")}
      </span>
      {error && (
        <span id={errorId} className="error">
          {error}
        </span>
      )}
    </div>
  );
}
