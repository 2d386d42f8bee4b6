//! A modal confirmation that names exactly what will happen. It behaves as a modal dialog
//! should from the keyboard: the focus starts on Cancel (the harmless choice), Tab stays
//! inside, Escape cancels, and on closing the focus goes back where it was.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub title: AttrValue,
    pub children: Html,
    pub confirm_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    #[prop_or_default]
    pub busy: bool,
}

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href]";

fn focus(element: Option<Element>) -> bool {
    match element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(e) => e.focus().is_ok(),
        None => false,
    }
}

fn active_element() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let modal = use_node_ref();
    let cancel_button = use_node_ref();
    {
        let cancel_button = cancel_button.clone();
        use_effect_with((), move |_| {
            let opener = active_element();
            focus(cancel_button.cast::<Element>());
            move || {
                if opener.as_ref().is_some_and(|e| e.is_connected()) {
                    focus(opener);
                }
            }
        });
    }
    let onkeydown = {
        let (cancel, busy) = (props.on_cancel.clone(), props.busy);
        let (modal, last) = (modal.clone(), cancel_button.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" if !busy => {
                e.prevent_default();
                cancel.emit(());
            }
            "Tab" => {
                let first = modal
                    .cast::<Element>()
                    .and_then(|m| m.query_selector(FOCUSABLE).ok().flatten());
                let last = last.cast::<Element>();
                let (edge, wrap_to) = if e.shift_key() {
                    (first, last)
                } else {
                    (last, first)
                };
                if edge.is_some() && edge == active_element() && focus(wrap_to) {
                    e.prevent_default();
                }
            }
            _ => {}
        })
    };
    let confirm = props.on_confirm.clone();
    let cancel = props.on_cancel.clone();
    html! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title" ref={modal} {onkeydown}>
                <h2 id="confirm-title">{ &props.title }</h2>
                { props.children.clone() }
                <div class="actions">
                    <button type="button" class="danger" disabled={props.busy} onclick={move |_| confirm.emit(())}>{ &props.confirm_label }</button>
                    <button type="button" ref={cancel_button} disabled={props.busy} onclick={move |_| cancel.emit(())}>{"Cancel"}</button>
                </div>
            </div>
        </div>
    }
}
