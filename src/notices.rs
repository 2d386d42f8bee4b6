//! Short notices ("the share job succeeded") in a polite live region.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Notice {
    pub id: u32,
    pub text: String,
    pub error: bool,
}

#[derive(Clone, PartialEq, Default)]
pub struct Notices {
    list: Vec<Notice>,
    next_id: u32,
}

pub enum NoticeAction {
    Push { text: String, error: bool },
    Dismiss(u32),
}

impl Reducible for Notices {
    type Action = NoticeAction;
    fn reduce(self: Rc<Self>, action: NoticeAction) -> Rc<Self> {
        let mut n = (*self).clone();
        match action {
            NoticeAction::Push { text, error } => {
                n.list.push(Notice {
                    id: n.next_id,
                    text,
                    error,
                });
                n.next_id += 1;
                let overflow = n.list.len().saturating_sub(5);
                n.list.drain(..overflow);
            }
            NoticeAction::Dismiss(id) => n.list.retain(|x| x.id != id),
        }
        Rc::new(n)
    }
}

pub type NoticesHandle = UseReducerHandle<Notices>;

#[hook]
pub fn use_notices() -> NoticesHandle {
    use_context::<NoticesHandle>().expect("NoticesProvider is mounted")
}

#[derive(Properties, PartialEq)]
pub struct NoticesProviderProps {
    pub children: Html,
}

#[component]
pub fn NoticesProvider(props: &NoticesProviderProps) -> Html {
    let notices = use_reducer(Notices::default);
    html! {
        <ContextProvider<NoticesHandle> context={notices.clone()}>
            {props.children.clone()}
            <div class="notices" role="status" aria-live="polite" aria-label="Notices">
                { for notices.list.iter().map(|n| html! { <NoticeItem key={n.id} notice={n.clone()} handle={notices.clone()} /> }) }
            </div>
        </ContextProvider<NoticesHandle>>
    }
}

#[derive(Properties, PartialEq)]
struct NoticeItemProps {
    notice: Notice,
    handle: NoticesHandle,
}

#[component]
fn NoticeItem(props: &NoticeItemProps) -> Html {
    let id = props.notice.id;
    {
        let handle = props.handle.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            let t = Timeout::new(10_000, move || handle.dispatch(NoticeAction::Dismiss(id)));
            move || drop(t)
        });
    }
    let dismiss = {
        let handle = props.handle.clone();
        Callback::from(move |_| handle.dispatch(NoticeAction::Dismiss(id)))
    };
    html! {
        <div class={classes!("notice", props.notice.error.then_some("notice-error"))}>
            <span>{ &props.notice.text }</span>
            <button type="button" class="link" aria-label="Dismiss notice" onclick={dismiss}>{"×"}</button>
        </div>
    }
}
