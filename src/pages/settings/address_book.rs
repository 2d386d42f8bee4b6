//! The address book in Settings: names for projects the user shares with but cannot sign in
//! to. Add, edit, remove, import and export as CSV.

use ims_api::names::{book_csv, check_contact, merge, read_book, upsert, Contact, MAX_BOOK_BYTES};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::download::{picked_file, read_bytes, save_text};
use crate::names::{use_names, NamesAction};

/// Rows drawn at once: a book of 25,000 entries draws the first of those that match the
/// filter, so an import or a keystroke never waits on 25,000 table rows.
const SHOWN_MAX: usize = 200;

#[component]
pub fn AddressBook() -> Html {
    let names = use_names();
    let id = use_state(String::new);
    let name = use_state(String::new);
    // The ID being edited: saving replaces that entry (even if the ID was corrected).
    let editing = use_state(|| None::<String>);
    let tried = use_state(|| false);
    let outcome = use_state(|| None::<String>);
    let filter = use_state(String::new);
    let (id_problem, name_problem) = check_contact(&id, &name);
    let show = *tried;
    let save = {
        let (names, id, name, editing, tried, outcome) = (
            names.clone(),
            id.clone(),
            name.clone(),
            editing.clone(),
            tried.clone(),
            outcome.clone(),
        );
        let ok = id_problem.is_none() && name_problem.is_none();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !ok {
                tried.set(true);
                return;
            }
            let mut book = (*names.book).clone();
            if let Some(old) = &*editing {
                book.retain(|c| &c.id != old);
            }
            upsert(
                &mut book,
                Contact {
                    id: (*id).clone(),
                    name: (*name).clone(),
                },
            );
            names.dispatch(NamesAction::Book(book));
            outcome.set(Some(format!("Saved {}.", name.trim())));
            id.set(String::new());
            name.set(String::new());
            editing.set(None);
            tried.set(false);
        })
    };
    let edit = |c: &Contact| {
        let (id, name, editing, c) = (id.clone(), name.clone(), editing.clone(), c.clone());
        Callback::from(move |_| {
            id.set(c.id.clone());
            name.set(c.name.clone());
            editing.set(Some(c.id.clone()));
        })
    };
    let remove = |c: &Contact| {
        let (names, outcome, c) = (names.clone(), outcome.clone(), c.clone());
        Callback::from(move |_| {
            let book: Vec<Contact> = names
                .book
                .iter()
                .filter(|x| x.id != c.id)
                .cloned()
                .collect();
            names.dispatch(NamesAction::Book(book));
            outcome.set(Some(format!("Removed {}.", c.name)));
        })
    };
    let cancel = {
        let (id, name, editing, tried) = (id.clone(), name.clone(), editing.clone(), tried.clone());
        Callback::from(move |_| {
            id.set(String::new());
            name.set(String::new());
            editing.set(None);
            tried.set(false);
        })
    };
    let import = {
        let (names, outcome) = (names.clone(), outcome.clone());
        Callback::from(move |e: Event| {
            let Some(file) = picked_file(&e) else { return };
            let (names, outcome) = (names.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let read = read_bytes(&file, MAX_BOOK_BYTES)
                    .await
                    .and_then(|b| read_book(&b));
                outcome.set(Some(match read {
                    Err(e) => format!("Nothing imported: {e}"),
                    Ok((good, bad)) => {
                        let mut book = (*names.book).clone();
                        let n = good.len();
                        merge(&mut book, good);
                        names.dispatch(NamesAction::Book(book));
                        let skipped: Vec<String> = bad
                            .iter()
                            .map(|p| format!("line {}: {}", p.line, p.message))
                            .collect();
                        if skipped.is_empty() {
                            format!("Imported {n} entries.")
                        } else {
                            format!(
                                "Imported {n} entries; skipped {}: {}",
                                skipped.len(),
                                skipped.join("; ")
                            )
                        }
                    }
                }));
            });
        })
    };
    let export = {
        let (names, outcome) = (names.clone(), outcome.clone());
        Callback::from(move |_| {
            if let Err(e) = save_text("address-book.csv", "text/csv", &book_csv(&names.book)) {
                outcome.set(Some(format!("The file could not be saved: {e}")));
            }
        })
    };
    let field = |label: &'static str,
                 input_id: &'static str,
                 value: &UseStateHandle<String>,
                 problem: &Option<String>| {
        let v = value.clone();
        let err_id = format!("{input_id}-error");
        html! {
            <div class="field">
                <label for={input_id}>{ label }</label>
                <input id={input_id} type="text" spellcheck="false" value={(**value).clone()} oninput={Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                    aria-invalid={(show && problem.is_some()).to_string()} aria-describedby={err_id.clone()} />
                <p id={err_id} class="field-error">{ if show { problem.clone().unwrap_or_default() } else { String::new() } }</p>
            </div>
        }
    };
    let wanted = filter.trim().to_lowercase();
    let matching: Vec<&Contact> = names
        .book
        .iter()
        .filter(|c| {
            wanted.is_empty() || c.id.contains(&wanted) || c.name.to_lowercase().contains(&wanted)
        })
        .collect();
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            filter.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let shown_text = if matching.len() > SHOWN_MAX {
        format!(
            "Showing the first {SHOWN_MAX} of {} entries: filter to find the others.",
            matching.len()
        )
    } else {
        format!("{} of {} entries.", matching.len(), names.book.len())
    };
    html! {
        <section aria-labelledby="book-heading" class="address-book">
            <h2 id="book-heading">{"Address book"}</h2>
            <p class="hint">{"Names for projects you share with. They show beside project IDs, and typing a name where IDs go offers its ID. Kept in this browser (localStorage); no token or password goes there."}</p>
            <form class="panel" onsubmit={save} aria-label={if editing.is_some() { "Edit address book entry" } else { "Add to address book" }}>
                { field("Project ID", "book-id", &id, &id_problem) }
                { field("Name", "book-name", &name, &name_problem) }
                <div class="actions">
                    <button type="submit" class="primary">{ if editing.is_some() { "Save changes" } else { "Add" } }</button>
                    if editing.is_some() { <button type="button" onclick={cancel}>{"Cancel"}</button> }
                </div>
            </form>
            <div class="toolbar">
                <label for="book-import">{"Import address book (CSV: project_id, name)"}</label>
                <input id="book-import" type="file" accept=".csv,text/csv" onchange={import} />
                <button type="button" onclick={export} disabled={names.book.is_empty()}>{"Export address book as CSV"}</button>
                if let Some(o) = &*outcome { <span role="status" data-testid="book-outcome">{ o }</span> }
            </div>
            <div class="field">
                <label for="book-filter">{"Filter the address book"}</label>
                <input id="book-filter" type="search" value={(*filter).clone()} oninput={on_filter} />
                <p class="hint" data-testid="book-shown">{ shown_text }</p>
            </div>
            <table aria-label="Address book">
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Project ID"}</th><th scope="col">{"Actions"}</th></tr></thead>
                <tbody>
                    { for matching.iter().take(SHOWN_MAX).map(|c| html! {
                        <tr key={c.id.clone()}>
                            <td>{ &c.name }</td>
                            <td><code class="id">{ &c.id }</code></td>
                            <td>
                                <button type="button" aria-label={format!("Edit {}", c.name)} onclick={edit(c)}>{"Edit"}</button>
                                <button type="button" aria-label={format!("Remove {}", c.name)} onclick={remove(c)}>{"Remove"}</button>
                            </td>
                        </tr>
                    }) }
                    if names.book.is_empty() { <tr><td colspan="3">{"No entries yet."}</td></tr> }
                </tbody>
            </table>
        </section>
    }
}
