//! "Replicate into <project>": private copies of images shared with this project (IMS), one
//! job each, so that they outlive the owner's share. Each copy's name is checked as IMS checks
//! names; a KMS key encrypts the copies, and a full-ECS image needs the vault for its backups.

use std::cell::Cell;
use std::rc::Rc;

use ims_api::images::{name_problem, replica_name, Image};
use ims_api::ApiError;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::error_view;
use crate::hooks::{use_api, use_submission};
use crate::jobs::use_engine;
use crate::session::context::use_session;

#[derive(Properties, PartialEq)]
pub struct ReplicateFormProps {
    pub images: Vec<Image>,
    pub on_close: Callback<()>,
}

fn value(e: InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[component]
pub fn ReplicateForm(props: &ReplicateFormProps) -> Html {
    let api = use_api();
    let engine = use_engine();
    let project = use_session()
        .info()
        .map(|i| i.project.name.clone())
        .unwrap_or_default();
    let names = {
        let images = props.images.clone();
        use_state(move || {
            images
                .iter()
                .map(|i| replica_name(i.display_name()))
                .collect::<Vec<_>>()
        })
    };
    let key = use_state(String::new);
    let vault = use_state(String::new);
    let submission = use_submission::<ApiError>();
    let done = use_state(|| None::<String>);
    // Images already sent, so that sending again after a failure starts no second copy.
    let sent = use_memo(props.images.clone(), |_| Cell::new(0usize));
    let full_ecs = props.images.iter().any(Image::is_full_ecs);
    let problems: Vec<Option<&str>> = names.iter().map(|n| name_problem(n)).collect();
    let vault_missing = full_ecs && vault.trim().is_empty();
    let ready = problems.iter().all(Option::is_none) && !vault_missing && !submission.busy();
    let submit = {
        let copies = Copies {
            api: submission.api(&api),
            engine: engine.clone(),
            images: props.images.clone(),
            names: (*names).clone(),
            key: key.trim().to_string(),
            vault: vault.trim().to_string(),
            done: done.clone(),
            sent: sent.clone(),
        };
        let submission = submission.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ready {
                submission.run(copies.clone().send());
            }
        })
    };
    let fields = props.images.iter().enumerate().map(|(n, image)| {
        let id = format!("replica-name-{n}");
        let on_input = {
            let names = names.clone();
            Callback::from(move |e: InputEvent| {
                let mut all = (*names).clone();
                all[n] = value(e);
                names.set(all);
            })
        };
        html! {
            <div class="field" key={image.id.clone()}>
                <label for={id.clone()}>{ format!("Name of the copy of {}", image.display_name()) }</label>
                <input id={id.clone()} value={names[n].clone()} oninput={on_input} aria-invalid={problems[n].is_some().to_string()} aria-describedby={format!("{id}-error")} />
                <p class="field-error" id={format!("{id}-error")}>{ problems[n].unwrap_or_default() }</p>
            </div>
        }
    });
    html! {
        <form class="panel" onsubmit={submit} aria-labelledby="replicate-heading">
            <h2 id="replicate-heading">{ format!("Replicate {} image(s) into {project}", props.images.len()) }</h2>
            <p class="hint">{"A replica is a private image of this project: it stays when the owner stops sharing. One job per image."}</p>
            { for fields }
            <div class="field">
                <label for="replica-key">{"KMS key ID to encrypt the copies (optional)"}</label>
                <input id="replica-key" value={(*key).clone()} oninput={{ let k = key.clone(); move |e| k.set(value(e)) }} />
            </div>
            if full_ecs {
                <div class="field">
                    <label for="replica-vault">{"CBR vault ID for the full-ECS image's backups"}</label>
                    <input id="replica-vault" value={(*vault).clone()} aria-invalid={vault_missing.to_string()} aria-describedby="replica-vault-error"
                        oninput={{ let v = vault.clone(); move |e| v.set(value(e)) }} />
                    <p class="field-error" id="replica-vault-error">{ if vault_missing { "A full-ECS image is replicated with its backups: enter the vault ID." } else { "" } }</p>
                </div>
            }
            if let Some(e) = submission.error() { { error_view(e, "Replicating failed", None) } }
            if let Some(m) = &*done { <p class="success" role="status">{ m }</p> }
            <>{ submission.wait_view() }</>
            <div class="actions">
                <button type="submit" class="primary" disabled={!ready}>{ if submission.busy() { "Replicating…" } else { "Replicate" } }</button>
                <button type="button" onclick={props.on_close.reform(|_| ())}>{"Close"}</button>
            </div>
        </form>
    }
}

/// The copies asked for, as the form holds them when sent.
#[derive(Clone)]
struct Copies {
    api: crate::api::Api,
    engine: crate::jobs::Engine,
    images: Vec<Image>,
    names: Vec<String>,
    key: String,
    vault: String,
    done: UseStateHandle<Option<String>>,
    /// Images already sent, so that sending again after a failure starts no second copy.
    sent: Rc<Cell<usize>>,
}

impl Copies {
    /// One job per image, from the first not yet sent.
    async fn send(self) -> Result<(), ApiError> {
        for (image, name) in self.images.iter().zip(&self.names).skip(self.sent.get()) {
            let vault = image.is_full_ecs().then_some(self.vault.as_str());
            self.engine
                .replicate(&self.api, &image.id, name, Some(&self.key), vault)
                .await?;
            self.sent.set(self.sent.get() + 1);
        }
        self.done.set(Some(format!(
            "Started {} replicate job(s): follow them under Jobs. The copies appear under My images when their jobs end.",
            self.images.len()
        )));
        Ok(())
    }
}
