//! The session as shared state: signed in, expired (sign-in shown over the page, then back),
//! or signed out. Persisting it is an effect of the provider, not of the reducer.

use std::rc::Rc;

use ims_api::auth::SessionInfo;
use ims_api::config::Flavor;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use super::store;

/// What the re-sign-in form is prefilled with after an expiry (never the password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SignInHint {
    pub user: String,
    pub domain: String,
    pub project: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredSession {
    pub info: SessionInfo,
    pub flavor: Flavor,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Session {
    pub current: Option<StoredSession>,
    /// Set when a signed-in session ended by itself (expiry, 401): the page stays mounted
    /// under the sign-in dialog so nothing typed is lost.
    pub expired: Option<SignInHint>,
}

pub enum SessionAction {
    SignedIn(StoredSession),
    Expired,
    /// A call with this token met a 401: the session ends if the token is still its own.
    Unauthorized(String),
    /// Ask for the password again, e.g. for another project when re-scoping is refused.
    SignInAgain(SignInHint),
    SignedOut,
}

impl Reducible for Session {
    type Action = SessionAction;
    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::SignedIn(s) => Rc::new(Session {
                current: Some(s),
                expired: None,
            }),
            SessionAction::Expired => match &self.current {
                Some(s) => Rc::new(Session {
                    current: None,
                    expired: Some(SignInHint {
                        user: s.info.user.name.clone(),
                        domain: s.info.domain.clone(),
                        project: s.info.project.name.clone(),
                    }),
                }),
                None => self,
            },
            SessionAction::Unauthorized(token) => {
                if self.current.as_ref().is_some_and(|s| s.info.token == token) {
                    self.reduce(SessionAction::Expired)
                } else {
                    self
                }
            }
            SessionAction::SignInAgain(hint) => Rc::new(Session {
                current: None,
                expired: Some(hint),
            }),
            SessionAction::SignedOut => Rc::new(Session::default()),
        }
    }
}

impl Session {
    pub fn restore() -> Self {
        Session {
            current: store::load(store::SESSION_KEY),
            expired: None,
        }
    }
    pub fn info(&self) -> Option<&SessionInfo> {
        self.current.as_ref().map(|s| &s.info)
    }
    pub fn project_id(&self) -> String {
        self.info()
            .map(|i| i.project.id.clone())
            .unwrap_or_default()
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    // When a portal signs users in, the token lives in this page's memory only: every load
    // asks the portal again, so a portal's next user never inherits a stored session.
    let memory_only = crate::embed::use_embedding().portal_signs_in();
    let session = use_reducer(move || {
        if memory_only {
            Session::default()
        } else {
            Session::restore()
        }
    });
    use_effect_with(session.current.clone(), move |current| match current {
        Some(s) if !memory_only => store::save(store::SESSION_KEY, s),
        _ => store::remove(store::SESSION_KEY),
    });
    html! {
        <ContextProvider<SessionHandle> context={session}>{props.children.clone()}</ContextProvider<SessionHandle>>
    }
}

#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("SessionProvider is mounted")
}
