//! The address book in Settings: names for projects the user shares with but cannot sign in
//! to. Add, edit, remove, import and export as CSV.

use ims_api::names::{book_csv, check_contact, merge, read_book, upsert, Contact, MAX_BOOK_BYTES};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::download::{picked_file, read_bytes, save_text};
use crate::names::{use_names, NamesAction, NamesHandle};

/// Rows drawn at once: a book of 25,000 entries draws the first of those that match the
/// filter, so an import or a keystroke never waits on 25,000 table rows.
const SHOWN_MAX: usize = 200;

/// The book's form and outcome line, cloned once into every handler.
#[derive(Clone)]
struct Book {
    names: NamesHandle,
    id: UseStateHandle<String>,
    name: UseStateHandle<String>,
    /// The ID being edited: saving replaces that entry (even if the ID was corrected).
    editing: UseStateHandle<Option<String>>,
    tried: UseStateHandle<bool>,
    outcome: UseStateHandle<Option<String>>,
}

impl Book {
    fn clear(&self) {
        self.id.set(String::new());
        self.name.set(String::new());
        self.editing.set(None);
        self.tried.set(false);
    }

    fn save(&self, valid: bool) {
        if !valid {
            self.tried.set(true);
            return;
        }
        let mut book = (*self.names.book).clone();
        if let Some(old) = &*self.editing {
            book.retain(|c| &c.id != old);
        }
        let contact = Contact {
            id: (*self.id).clone(),
            name: (*self.name).clone(),
        };
        upsert(&mut book, contact);
        self.names.dispatch(NamesAction::Book(book));
        self.outcome
            .set(Some(format!("Saved {}.", self.name.trim())));
        self.clear();
    }

    fn edit(&self, c: &Contact) {
        self.id.set(c.id.clone());
        self.name.set(c.name.clone());
        self.editing.set(Some(c.id.clone()));
    }

    fn remove(&self, c: &Contact) {
        let book: Vec<Contact> = self
            .names
            .book
            .iter()
            .filter(|x| x.id != c.id)
            .cloned()
            .collect();
        self.names.dispatch(NamesAction::Book(book));
        self.outcome.set(Some(format!("Removed {}.", c.name)));
    }

    async fn import(self, file: web_sys::File) {
        let read = read_bytes(&file, MAX_BOOK_BYTES)
            .await
            .and_then(|b| read_book(&b));
        self.outcome.set(Some(match read {
            Err(e) => format!("Nothing imported: {e}"),
            Ok((good, bad)) => {
                let mut book = (*self.names.book).clone();
                let n = good.len();
                merge(&mut book, good);
                self.names.dispatch(NamesAction::Book(book));
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
    }

    fn export(&self) {
        if let Err(e) = save_text("address-book.csv", "text/csv", &book_csv(&self.names.book)) {
            self.outcome
                .set(Some(format!("The file could not be saved: {e}")));
        }
    }
}

#[component]
pub fn AddressBook() -> Html {
    let book = Book {
        names: use_names(),
        id: use_state(String::new),
        name: use_state(String::new),
        editing: use_state(|| None::<String>),
        tried: use_state(|| false),
        outcome: use_state(|| None::<String>),
    };
    let Book {
        names,
        id,
        name,
        editing,
        outcome,
        ..
    } = &book;
    let filter = use_state(String::new);
    let (id_problem, name_problem) = check_contact(id, name);
    let show = *book.tried;
    let save = {
        let (b, valid) = (book.clone(), id_problem.is_none() && name_problem.is_none());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            b.save(valid)
        })
    };
    let edit = |c: &Contact| {
        let (b, c) = (book.clone(), c.clone());
        Callback::from(move |_| b.edit(&c))
    };
    let remove = |c: &Contact| {
        let (b, c) = (book.clone(), c.clone());
        Callback::from(move |_| b.remove(&c))
    };
    let cancel = {
        let b = book.clone();
        Callback::from(move |_| b.clear())
    };
    let import = {
        let b = book.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = picked_file(&e) {
                wasm_bindgen_futures::spawn_local(b.clone().import(file));
            }
        })
    };
    let export = {
        let b = book.clone();
        Callback::from(move |_| b.export())
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
                { field("Project ID", "book-id", id, &id_problem) }
                { field("Name", "book-name", name, &name_problem) }
                <div class="actions">
                    <button type="submit" class="primary">{ if editing.is_some() { "Save changes" } else { "Add" } }</button>
                    if editing.is_some() { <button type="button" onclick={cancel}>{"Cancel"}</button> }
                </div>
            </form>
            <div class="toolbar">
                <label for="book-import">{"Import address book (CSV: project_id, name)"}</label>
                <input id="book-import" type="file" accept=".csv,text/csv" onchange={import} />
                <button type="button" onclick={export} disabled={names.book.is_empty()}>{"Export address book as CSV"}</button>
                if let Some(o) = &**outcome { <span role="status" data-testid="book-outcome">{ o }</span> }
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
