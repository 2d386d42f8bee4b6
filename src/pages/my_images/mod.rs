//! My images: the signed-in project's images, filter, sort, select, then share or stop
//! sharing in batches.

mod copy_form;
mod id_list_input;
mod member_boxes;
mod members_export;
mod share_form;
mod stop_form;

use std::collections::HashSet;
use std::rc::Rc;

use ims_api::images::{Image, ListScope};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::error_view;
use crate::components::image_table::{sort_images, ImageTable, SortKey};
use crate::hooks::{use_api, use_image_list, wait_view, SameList};
use copy_form::CopyForm;
use member_boxes::use_member_texts;
use members_export::MembersExport;
use share_form::ShareForm;
use stop_form::StopForm;

#[derive(Clone, Copy, PartialEq)]
enum Panel {
    None,
    Share,
    Stop,
    Copy,
}

fn matches(img: &Image, needle: &str) -> bool {
    needle.is_empty()
        || img.id.contains(needle)
        || img.display_name().to_lowercase().contains(needle)
}

#[component]
pub fn MyImages() -> Html {
    let api = use_api();
    let scope = Some(ListScope::Owned {
        project_id: api.project_id.clone(),
    });
    let (list, reload, list_wait) = use_image_list(&api, scope, 0);
    let filter = use_state(String::new);
    let sort = use_state(|| (SortKey::Name, true));
    let selected = use_state(|| Rc::new(HashSet::<String>::new()));
    let panel = use_state(|| Panel::None);
    let share_texts = use_member_texts();
    let stop_texts = use_member_texts();

    let visible: Rc<Vec<Image>> = use_memo(
        (SameList(list.images.clone()), (*filter).clone(), *sort),
        |(images, filter, sort)| {
            let needle = filter.trim().to_lowercase();
            let mut v: Vec<Image> = images
                .0
                .iter()
                .filter(|i| matches(i, &needle))
                .cloned()
                .collect();
            sort_images(&mut v, sort.0, sort.1);
            v
        },
    );
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            filter.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |k: SortKey| sort.set((k, if sort.0 == k { !sort.1 } else { true })))
    };
    let on_toggle = {
        let selected = selected.clone();
        Callback::from(move |id: String| {
            let mut s = (**selected).clone();
            if !s.remove(&id) {
                s.insert(id);
            }
            selected.set(Rc::new(s));
        })
    };
    let select_matching = {
        let (selected, visible) = (selected.clone(), visible.clone());
        Callback::from(move |_| {
            let mut s = (**selected).clone();
            s.extend(visible.iter().map(|i| i.id.clone()));
            selected.set(Rc::new(s));
        })
    };
    let clear = {
        let selected = selected.clone();
        Callback::from(move |_| selected.set(Rc::new(HashSet::new())))
    };
    let open = |p: Panel| {
        let panel = panel.clone();
        Callback::from(move |_| panel.set(p))
    };
    let close = {
        let panel = panel.clone();
        Callback::from(move |_| panel.set(Panel::None))
    };
    let chosen: Vec<Image> = list
        .images
        .iter()
        .filter(|i| selected.contains(&i.id))
        .cloned()
        .collect();
    let count_text = if list.loading {
        format!("Loading… {} images so far", list.images.len())
    } else {
        format!(
            "{} images, {} shown, {} selected",
            list.images.len(),
            visible.len(),
            chosen.len()
        )
    };
    html! {
        <section aria-labelledby="my-images-heading">
            <h1 id="my-images-heading">{"My images"}</h1>
            <div class="toolbar">
                <label for="image-filter">{"Filter by name or ID"}</label>
                <input id="image-filter" type="search" value={(*filter).clone()} oninput={on_filter} />
                <button type="button" onclick={select_matching} disabled={visible.is_empty()}>{ format!("Select all {} matching", visible.len()) }</button>
                <button type="button" onclick={clear} disabled={selected.is_empty()}>{"Clear selection"}</button>
                <button type="button" onclick={reload.reform(|_| ())}>{"Reload"}</button>
                <span class="count" role="status" aria-live="polite" data-testid="image-count">{ count_text }</span>
                <>{ wait_view(&list_wait) }</>
            </div>
            if let Some(e) = &list.error {
                { error_view(e, "Listing images failed", Some(reload.clone())) }
            }
            <div class="toolbar">
                <button type="button" class="primary" disabled={chosen.is_empty()} onclick={open(Panel::Share)}>{ format!("Share {} selected…", chosen.len()) }</button>
                <button type="button" disabled={chosen.is_empty()} onclick={open(Panel::Stop)}>{ format!("Stop sharing {} selected…", chosen.len()) }</button>
                <button type="button" disabled={chosen.is_empty()} onclick={open(Panel::Copy)}>{ format!("Copy members to {} selected…", chosen.len()) }</button>
            </div>
            <MembersExport images={if chosen.is_empty() { list.images.clone() } else { Rc::new(chosen.clone()) }} />
            if *panel == Panel::Share && !chosen.is_empty() {
                <ShareForm images={chosen.clone()} on_close={close.clone()} texts={share_texts.clone()} />
            }
            if *panel == Panel::Copy && !chosen.is_empty() {
                <CopyForm images={chosen.clone()} all={list.images.clone()} on_close={close.clone()} />
            }
            if *panel == Panel::Stop && !chosen.is_empty() {
                <StopForm images={chosen.clone()} on_close={close.clone()} texts={stop_texts.clone()} />
            }
            <ImageTable images={visible.clone()} selected={(*selected).clone()} on_toggle={on_toggle} sort={*sort} on_sort={on_sort} caption="Images owned by the signed-in project" />
        </section>
    }
}
