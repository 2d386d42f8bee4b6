//! The sign-in form: password (user, domain, project by name or ID) or an existing token.
//! The password lives only in this component's state and is cleared once used.

use std::rc::Rc;

use ims_api::auth::login_error_message;
use ims_api::config::Config;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::{use_submission, Submission, Wait};
use crate::session::context::{SignInHint, StoredSession};
use crate::session::sign_in;

#[derive(Properties, PartialEq)]
pub struct SignInFormProps {
    #[prop_or_default]
    pub hint: Option<SignInHint>,
    pub on_signed_in: Callback<StoredSession>,
    #[prop_or_default]
    pub heading: Option<AttrValue>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Password,
    Token,
}

fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    })
}

#[component]
pub fn SignInForm(props: &SignInFormProps) -> Html {
    let config = use_context::<Rc<Config>>().expect("config");
    let hint = props.hint.clone().unwrap_or_default();
    // What the page's own form (index.html) holds at the first render; read again when this
    // form takes over from it, and let go of (the password with it) then.
    let adopted = use_mut_ref(|| crate::shell::read().unwrap_or_default());
    let shell = adopted.borrow().clone();
    let first = |typed: &str, fallback: &str| {
        if typed.is_empty() {
            fallback.to_string()
        } else {
            typed.to_string()
        }
    };
    let mode = use_state(|| {
        if shell.token_mode {
            Mode::Token
        } else {
            Mode::Password
        }
    });
    let user = use_state(|| first(&shell.user, &hint.user));
    let domain = use_state(|| {
        let fallback = if hint.domain.is_empty() {
            &config.default_domain
        } else {
            &hint.domain
        };
        first(&shell.domain, fallback)
    });
    let project = use_state(|| first(&shell.project, &hint.project));
    let password = use_state(|| shell.password.clone());
    let token = use_state(|| shell.token.clone());
    let submission = use_submission::<String>();
    let missing = use_state(Vec::<&'static str>::new);

    let fields = Fields {
        mode: mode.clone(),
        user: user.clone(),
        domain: domain.clone(),
        project: project.clone(),
        password: password.clone(),
        token: token.clone(),
        missing: missing.clone(),
    };
    let submit = Signer {
        fields: fields.clone(),
        submission: submission.clone(),
        config: config.clone(),
        done: props.on_signed_in.clone(),
    }
    .callback();
    // Set when the page's form changed after the first render and asked for a submit: it is
    // sent on the next render, with the fields' new values.
    let submit_later = use_state(|| false);
    {
        let (fields, submit, submit_later) = (fields.clone(), submit.clone(), submit_later.clone());
        use_effect_with((), move |_| {
            let first = std::mem::take(&mut *adopted.borrow_mut());
            let now = crate::shell::read();
            crate::shell::hand_over();
            let Some(now) = now else { return };
            crate::shell::restore(&now);
            let changed = fields.adopt(&first, &now);
            if now.submitted && changed {
                submit_later.set(true);
            } else if now.submitted {
                submit.emit(());
            }
        });
    }
    {
        let (submit, later) = (submit.clone(), submit_later.clone());
        use_effect_with(*submit_later, move |asked| {
            if *asked {
                later.set(false);
                submit.emit(());
            }
        });
    }
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        submit.emit(());
    });
    let field_error = |name: &'static str| {
        missing.contains(&name).then(|| html! { <p class="field-error" id={format!("{name}-error")}>{ format!("Enter the {name}.") }</p> })
    };
    let invalid = |name: &'static str| missing.contains(&name).to_string();
    let set_mode = |m: Mode| {
        let mode = mode.clone();
        let missing = missing.clone();
        Callback::from(move |_| {
            mode.set(m);
            missing.set(Vec::new());
        })
    };
    html! {
        <form class="sign-in" onsubmit={onsubmit} aria-labelledby="sign-in-heading" novalidate=true>
            <h2 id="sign-in-heading">{ props.heading.clone().unwrap_or_else(|| "Sign in".into()) }</h2>
            <div class="tabs" role="group" aria-label="Sign-in method">
                <button type="button" aria-pressed={(*mode == Mode::Password).to_string()} onclick={set_mode(Mode::Password)}>{"Password"}</button>
                <button type="button" aria-pressed={(*mode == Mode::Token).to_string()} onclick={set_mode(Mode::Token)}>{"Use an existing token"}</button>
            </div>
            if *mode == Mode::Password {
                <div class="field">
                    <label for="sign-in-user">{"User name"}</label>
                    <input id="sign-in-user" autocomplete="username" value={(*user).clone()} oninput={text_input(&user)} aria-invalid={invalid("user")} />
                    // In a fragment, so that the message appearing does not re-create the input
                    // (and drop its focus): see share_form.rs.
                    <>{ for field_error("user") }</>
                </div>
                <div class="field">
                    <label for="sign-in-password">{"Password"}</label>
                    <input id="sign-in-password" type="password" autocomplete="current-password" value={(*password).clone()} oninput={text_input(&password)} aria-invalid={invalid("password")} />
                    <>{ for field_error("password") }</>
                </div>
                <div class="field">
                    <label for="sign-in-domain">{"Domain (account)"}</label>
                    <input id="sign-in-domain" value={(*domain).clone()} oninput={text_input(&domain)} aria-invalid={invalid("domain")} />
                    <>{ for field_error("domain") }</>
                </div>
                <div class="field">
                    <label for="sign-in-project">{"Project (name or ID)"}</label>
                    <input id="sign-in-project" value={(*project).clone()} oninput={text_input(&project)} aria-invalid={invalid("project")} placeholder="eu-de_ops or 32-hex ID" />
                    <>{ for field_error("project") }</>
                </div>
            } else {
                <div class="field">
                    <label for="sign-in-token">{"Token"}</label>
                    <input id="sign-in-token" type="password" autocomplete="off" value={(*token).clone()} oninput={text_input(&token)} aria-invalid={invalid("token")} />
                    <p class="hint">{"A project-scoped IAM token (X-Subject-Token). It is checked with IAM and kept for this tab only."}</p>
                    <>{ for field_error("token") }</>
                </div>
            }
            if let Some(msg) = submission.error() { <p class="error" role="alert">{ msg }</p> }
            <>{ submission.wait_view() }</>
            <button type="submit" class="primary" disabled={submission.busy()}>{ if submission.busy() { "Signing in…" } else { "Sign in" } }</button>
        </form>
    }
}

/// The form's fields, cloned once into its submit.
#[derive(Clone)]
struct Fields {
    mode: UseStateHandle<Mode>,
    user: UseStateHandle<String>,
    domain: UseStateHandle<String>,
    project: UseStateHandle<String>,
    password: UseStateHandle<String>,
    token: UseStateHandle<String>,
    missing: UseStateHandle<Vec<&'static str>>,
}

impl Fields {
    /// Takes what the page's form came to hold after the first render; true if anything did.
    fn adopt(&self, first: &crate::shell::ShellInput, now: &crate::shell::ShellInput) -> bool {
        let pairs = [
            (&self.user, &first.user, &now.user),
            (&self.password, &first.password, &now.password),
            (&self.domain, &first.domain, &now.domain),
            (&self.project, &first.project, &now.project),
            (&self.token, &first.token, &now.token),
        ];
        let mut changed = false;
        for (state, before, after) in pairs {
            if before != after && !after.is_empty() {
                state.set(after.clone());
                changed = true;
            }
        }
        if now.token_mode != first.token_mode {
            self.mode.set(if now.token_mode {
                Mode::Token
            } else {
                Mode::Password
            });
            changed = true;
        }
        changed
    }

    /// The fields of the chosen method left empty, by name.
    fn gaps(&self) -> Vec<&'static str> {
        let wanted: Vec<(&str, &'static str)> = match *self.mode {
            Mode::Password => vec![
                (&self.user, "user"),
                (&self.password, "password"),
                (&self.domain, "domain"),
                (&self.project, "project"),
            ],
            Mode::Token => vec![(&self.token, "token")],
        };
        wanted
            .into_iter()
            .filter(|(v, _)| v.trim().is_empty())
            .map(|(_, name)| name)
            .collect()
    }
}

/// What a submit needs, cloned once into the form's submit callback.
#[derive(Clone)]
struct Signer {
    fields: Fields,
    submission: Submission<String>,
    config: Rc<Config>,
    done: Callback<StoredSession>,
}

impl Signer {
    fn callback(self) -> Callback<()> {
        Callback::from(move |()| self.submit())
    }

    /// Signs in with what the fields hold, once they are all there.
    fn submit(&self) {
        let gaps = self.fields.gaps();
        self.fields.missing.set(gaps.clone());
        if !gaps.is_empty() {
            return;
        }
        let (me, wait) = (self.clone(), self.submission.wait());
        self.submission.run(async move { me.sign_in(wait).await });
    }

    /// The password field is cleared once it has served.
    async fn sign_in(self, wait: Wait) -> Result<(), String> {
        let (f, w) = (&self.fields, Some(&wait));
        let signed_in = match *f.mode {
            Mode::Password => {
                sign_in::with_password(
                    &self.config,
                    f.user.trim(),
                    &f.password,
                    f.domain.trim(),
                    f.project.trim(),
                    w,
                )
                .await
            }
            Mode::Token => sign_in::with_token(&self.config, &f.token, w).await,
        };
        wait.finished();
        let signed_in = signed_in.map_err(|e| login_error_message(&e))?;
        f.password.set(String::new());
        self.done.emit(signed_in);
        Ok(())
    }
}
