//! The member boxes of the share and stop forms: project IDs always, account IDs and
//! organization URNs where `member_kinds` offers them (IMS), each checked where it is typed.
//! A project ID and an account ID look alike (32 hex), so each kind has its own box.

use ims_api::apply::Target;
use ims_api::ids::targets_of;
use ims_api::members::MemberKind;
use yew::prelude::*;

use super::id_list_input::IdListInput;
use crate::api::Api;
use crate::session::context::use_session;

/// What was typed in each box, owned by the page so that it survives the form being closed.
#[derive(Clone, PartialEq)]
pub struct MemberTexts {
    projects: UseStateHandle<String>,
    domains: UseStateHandle<String>,
    organizations: UseStateHandle<String>,
}

#[hook]
pub fn use_member_texts() -> MemberTexts {
    MemberTexts {
        projects: use_state(String::new),
        domains: use_state(String::new),
        organizations: use_state(String::new),
    }
}

/// The members typed in the boxes offered here.
pub struct Typed {
    pub targets: Vec<Target>,
    /// A malformed ID, or the own project or account, stops the list from being sent.
    pub blocked: bool,
    /// How many of each kind, for the preview.
    pub counts: Vec<(MemberKind, usize)>,
}

impl MemberTexts {
    fn text(&self, kind: MemberKind) -> &UseStateHandle<String> {
        match kind {
            MemberKind::Project => &self.projects,
            MemberKind::Domain => &self.domains,
            MemberKind::Organization => &self.organizations,
        }
    }

    pub fn typed(&self, kinds: &[MemberKind], own: &Own) -> Typed {
        let mut out = Typed {
            targets: Vec::new(),
            blocked: false,
            counts: Vec::new(),
        };
        for &kind in kinds {
            let t = targets_of(kind, self.text(kind), own.of(kind));
            out.blocked |= t.blocked;
            out.counts.push((kind, t.projects.len()));
            out.targets
                .extend(t.projects.into_iter().map(|id| Target { kind, id }));
        }
        out
    }

    pub fn clear(&self) {
        for kind in MemberKind::ALL {
            self.text(kind).set(String::new());
        }
    }
}

/// The signed-in project and account: never a member of their own images.
#[derive(Clone, PartialEq)]
pub struct Own {
    pub project: String,
    pub account: String,
}

impl Own {
    fn of(&self, kind: MemberKind) -> Option<&str> {
        match kind {
            MemberKind::Project => Some(&self.project),
            MemberKind::Domain => Some(&self.account),
            MemberKind::Organization => None,
        }
    }
}

/// The kinds offered here, and who is signed in.
#[hook]
pub fn use_member_kinds(api: &Api) -> (Vec<MemberKind>, Own) {
    let session = use_session();
    let kinds = api.member_kinds();
    let own = Own {
        project: api.project_id.clone(),
        account: session
            .info()
            .map(|i| i.domain_id.clone())
            .unwrap_or_default(),
    };
    (kinds, own)
}

/// One box per kind offered; `prefix` names the form ("share", "stop"), `verb` ends the
/// labels ("to share with").
pub fn member_boxes(
    texts: &MemberTexts,
    kinds: &[MemberKind],
    own: &Own,
    prefix: &str,
    verb: &str,
    disabled: bool,
) -> Html {
    kinds
        .iter()
        .map(|&kind| {
            let text = texts.text(kind).clone();
            let (id, label) = match kind {
                MemberKind::Project => (format!("{prefix}-projects"), format!("Project IDs {verb}")),
                MemberKind::Domain => (format!("{prefix}-accounts"), format!("Account IDs {verb}")),
                MemberKind::Organization => (
                    format!("{prefix}-organizations"),
                    format!("Organization or OU URNs {verb}"),
                ),
            };
            let own = own.of(kind).map(|o| AttrValue::from(o.to_string()));
            html! {
                <IdListInput key={id.clone()} id={id.clone()} label={label} kind={kind} value={(*text).clone()}
                    on_input={Callback::from(move |v| text.set(v))} own_project={own} disabled={disabled} />
            }
        })
        .collect()
}
