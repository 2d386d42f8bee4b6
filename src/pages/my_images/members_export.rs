//! "Export members": who has the chosen images (or all of them), as CSV, JSON or Terraform
//! for the provider chosen, fetched image by image with progress, then saved as a file.

use std::convert::Infallible;
use std::rc::Rc;

use ims_api::export::{member_rows, members_csv, members_json, MemberRow};
use ims_api::images::Image;
use ims_api::members::Member;
use ims_api::terraform::{self, ImageMembers, Provider};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::Api;
use crate::download::save_text;
use crate::hooks::{use_api, use_submission};
use crate::names::use_names;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
    Terraform(Provider),
}

#[derive(Properties, PartialEq)]
pub struct MembersExportProps {
    /// The images to export: the selection, or every image when nothing is selected.
    pub images: Rc<Vec<Image>>,
}

#[component]
pub fn MembersExport(props: &MembersExportProps) -> Html {
    let api = use_api();
    let names = use_names();
    let progress = use_state(|| None::<(usize, usize)>);
    let outcome = use_state(|| None::<String>);
    let provider = use_state(|| Provider::OpenTelekomCloud);
    // One export at a time; what fails is said in the outcome, image by image.
    let exporting = use_submission::<Infallible>();
    let export = Export {
        progress: progress.clone(),
        outcome: outcome.clone(),
        images: props.images.clone(),
        names: names.known.clone(),
    };
    let start = |format: Format| {
        let (export, exporting) = (export.clone(), exporting.clone());
        let api = exporting.api(&api);
        Callback::from(move |_| {
            if !export.images.is_empty() {
                exporting.run(export.clone().run(api.clone(), format));
            }
        })
    };
    let busy = exporting.busy();
    let on_provider = {
        let provider = provider.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            provider.set(Provider::from_name(&name).unwrap_or(Provider::OpenTelekomCloud));
        })
    };
    html! {
        <div class="toolbar export" role="group" aria-label="Export members">
            <button type="button" disabled={busy || props.images.is_empty()} onclick={start(Format::Csv)}>{ format!("Export members of {} image(s) as CSV", props.images.len()) }</button>
            <button type="button" disabled={busy || props.images.is_empty()} onclick={start(Format::Json)}>{"as JSON"}</button>
            <select aria-label="Terraform provider" onchange={on_provider} disabled={busy}>
                { for Provider::ALL.iter().map(|p| html! { <option value={p.name()} selected={*provider == *p}>{ p.name() }</option> }) }
            </select>
            <button type="button" disabled={busy || props.images.is_empty()} onclick={start(Format::Terraform(*provider))}>{"as Terraform"}</button>
            if let Some((done, total)) = *progress {
                <progress max={total.to_string()} value={done.to_string()} aria-label="Export progress">{ format!("{done} of {total}") }</progress>
                <span role="status">{ format!("Reading members: {done} of {total} images") }</span>
            }
            if let Some(o) = &*outcome { <span role="status" data-testid="export-outcome">{ o }</span> }
            <>{ exporting.wait_view() }</>
        </div>
    }
}

/// What an export reads and where it reports, cloned once.
#[derive(Clone)]
struct Export {
    progress: UseStateHandle<Option<(usize, usize)>>,
    outcome: UseStateHandle<Option<String>>,
    images: Rc<Vec<Image>>,
    names: Rc<std::collections::HashMap<String, String>>,
}

impl Export {
    /// Reads the members image by image, with progress, and saves them as `format`.
    async fn run(self, api: Api, format: Format) -> Result<(), Infallible> {
        let Export {
            progress,
            outcome,
            images,
            names,
        } = self;
        let with_kind = api.member_kinds().len() > 1;
        progress.set(Some((0, images.len())));
        outcome.set(None);
        let mut rows: Vec<MemberRow> = Vec::new();
        let mut read: Vec<(&Image, Vec<Member>)> = Vec::new();
        let mut failed = Vec::new();
        for (n, img) in images.iter().enumerate() {
            match api.members(&img.id, img.visibility.as_ref()).await {
                Ok(list) => {
                    rows.extend(member_rows(
                        &img.id,
                        img.display_name(),
                        &list,
                        &names,
                        with_kind,
                    ));
                    read.push((img, list));
                }
                Err(e) => failed.push(format!("{}: {}", img.display_name(), e.user_message())),
            }
            progress.set(Some((n + 1, images.len())));
        }
        let (text, name, mime) = match format {
            Format::Csv => (members_csv(&rows), "image-members.csv", "text/csv"),
            Format::Json => (
                members_json(&rows),
                "image-members.json",
                "application/json",
            ),
            Format::Terraform(provider) => {
                let images: Vec<ImageMembers> = read
                    .iter()
                    .map(|(img, list)| ImageMembers {
                        id: &img.id,
                        name: img.display_name(),
                        members: list,
                    })
                    .collect();
                (
                    terraform::export(provider, &images, &names),
                    "image-members.tf",
                    "text/plain",
                )
            }
        };
        let saved = save_text(name, mime, &text);
        progress.set(None);
        outcome.set(Some(match (saved, failed.is_empty()) {
            (Err(e), _) => format!("The file could not be saved: {e}"),
            (Ok(()), true) => format!(
                "Exported {} member(s) of {} image(s) to {name}.",
                rows.len(),
                images.len()
            ),
            (Ok(()), false) => format!(
                "Exported {} member(s) to {name}; not included: {}",
                rows.len(),
                failed.join("; ")
            ),
        }));
        Ok(())
    }
}
