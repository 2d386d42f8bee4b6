//! A modal confirmation that names exactly what will happen.

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

#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let confirm = props.on_confirm.clone();
    let cancel = props.on_cancel.clone();
    html! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
                <h2 id="confirm-title">{ &props.title }</h2>
                { props.children.clone() }
                <div class="actions">
                    <button type="button" class="danger" disabled={props.busy} onclick={move |_| confirm.emit(())}>{ &props.confirm_label }</button>
                    <button type="button" disabled={props.busy} onclick={move |_| cancel.emit(())}>{"Cancel"}</button>
                </div>
            </div>
        </div>
    }
}
