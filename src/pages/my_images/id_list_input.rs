//! A member-ID box (projects, accounts or organization URNs): IDs separated by commas,
//! spaces or new lines, each checked where it stands. The text is the parent's state, so
//! nothing typed is lost on a failed request. A name typed where an ID belongs is offered the
//! IDs known by that name.

use ims_api::ids::{parse_ids, IdToken};
use ims_api::members::MemberKind;
use ims_api::names::{suggest, typed_names};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::names::use_names;

#[derive(Properties, PartialEq)]
pub struct IdListInputProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_input: Callback<String>,
    /// The signed-in project (or account, in an account box), refused as a target.
    #[prop_or_default]
    pub own_project: Option<AttrValue>,
    /// What the box holds; projects unless told.
    #[prop_or_default]
    pub kind: MemberKind,
    #[prop_or_default]
    pub disabled: bool,
}

fn placeholder(kind: MemberKind) -> &'static str {
    match kind {
        MemberKind::Organization => {
            "organizations::0123456789abcdef0123456789abcdef:ou:o-abc123/ou-def456"
        }
        _ => "9c61004714024f9586705d090530f9fa, edc89b490d7d4392898e19b2deb34797",
    }
}

#[component]
pub fn IdListInput(props: &IdListInputProps) -> Html {
    let names = use_names();
    let toks = parse_ids(props.kind, &props.value, props.own_project.as_deref());
    let bad: Vec<(usize, &IdToken)> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.is_valid())
        .collect();
    let valid = toks.len() - bad.len();
    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    // Replaces what was typed at `start..end` by the chosen ID.
    let use_id = |start: usize, end: usize, id: String| {
        let (cb, value) = (props.on_input.clone(), props.value.to_string());
        Callback::from(move |_| cb.emit(format!("{}{}{}", &value[..start], id, &value[end..])))
    };
    let named: Vec<(String, &str)> = toks
        .iter()
        .filter(|t| t.is_valid())
        .filter_map(|t| {
            let id = t.text.to_ascii_lowercase();
            names.name(&id).map(|n| (id.clone(), n))
        })
        .collect();
    // A name may hold spaces: runs of non-IDs are looked up as one.
    let runs = if props.kind == MemberKind::Organization {
        Vec::new()
    } else {
        typed_names(&props.value, &toks)
    };
    let help_id = format!("{}-help", props.id);
    let errors_id = format!("{}-errors", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ &props.label }</label>
            <textarea id={props.id.clone()} rows="4" value={props.value.clone()} {oninput} disabled={props.disabled}
                aria-invalid={(!bad.is_empty()).to_string()} aria-describedby={format!("{help_id} {errors_id}")}
                placeholder={placeholder(props.kind)} spellcheck="false" />
            <p id={help_id} class="hint">{ format!("{valid} valid {}(s). Separate them with commas, spaces or new lines.", props.kind.id_noun()) }</p>
            <ul id={errors_id} class="id-problems" aria-label={format!("Problems with the {}s", props.kind.id_noun())}>
                { for bad.iter().map(|(i, t)| html! {
                    <li class={if matches!(t.problem, Some(ims_api::ids::IdProblem::Duplicate { .. })) { "warn" } else { "bad" }}>
                        <code>{ format!("#{} {}", i + 1, t.text) }</code>{ ": " }{ t.problem.as_ref().map(|p| p.message()).unwrap_or_default() }
                        if let Some((_, start, end, typed)) = runs.iter().find(|r| r.0 == *i) {
                            { for suggest(&names.known, typed, 4).into_iter().map(|(id, name)| html! {
                                <button type="button" class="suggestion" aria-label={format!("Use the ID of {name}")} onclick={use_id(*start, *end, id.clone())} disabled={props.disabled}>
                                    { format!("{name} → ") }<code>{ id }</code>
                                </button>
                            }) }
                        }
                    </li>
                }) }
            </ul>
            if !named.is_empty() {
                <ul class="named" aria-label={known_by_name(props.kind)}>
                    { for named.iter().map(|(id, n)| html! { <li><span class="project-name">{ *n }</span>{" "}<code class="id">{ id }</code></li> }) }
                </ul>
            }
        </div>
    }
}

/// "Projects known by name", "Accounts known by name".
fn known_by_name(kind: MemberKind) -> String {
    let plural = kind.plural();
    format!(
        "{}{} known by name",
        plural[..1].to_ascii_uppercase(),
        &plural[1..]
    )
}
