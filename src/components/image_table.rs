//! The image table: sortable columns, selection, and only the rows in view rendered, so
//! 5,000 images scroll as smoothly as 50.

use std::collections::HashSet;
use std::rc::Rc;

use ims_api::images::{human_size, Image};
use web_sys::Element;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::routes::Route;

const ROW_HEIGHT: u32 = 37;
/// The height of `.table-scroll` in style.css.
const VIEWPORT: u32 = 520;
const OVERSCAN: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SortKey {
    Name,
    Status,
    Os,
    Size,
    Created,
}

pub fn sort_images(images: &mut [Image], key: SortKey, ascending: bool) {
    images.sort_by(|a, b| {
        let o = match key {
            // Compared as they are read, without a lower-cased copy of both names per
            // comparison: with 20,000 images that is the difference a keystroke feels.
            SortKey::Name => caseless(a.display_name()).cmp(caseless(b.display_name())),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Os => a.os().cmp(b.os()),
            SortKey::Size => a.size_bytes().cmp(&b.size_bytes()),
            SortKey::Created => a.created_at.cmp(&b.created_at),
        };
        if ascending {
            o
        } else {
            o.reverse()
        }
    });
}

fn caseless(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

#[derive(Properties, PartialEq)]
pub struct ImageTableProps {
    pub images: Rc<Vec<Image>>,
    pub selected: Rc<HashSet<String>>,
    pub on_toggle: Callback<String>,
    pub sort: (SortKey, bool),
    pub on_sort: Callback<SortKey>,
    pub caption: AttrValue,
}

#[component]
pub fn ImageTable(props: &ImageTableProps) -> Html {
    let scroll_top = use_state(|| 0u32);
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            scroll_top.set(e.target_unchecked_into::<Element>().scroll_top().max(0) as u32)
        })
    };
    let total = props.images.len();
    let first = ((*scroll_top / ROW_HEIGHT) as usize)
        .saturating_sub(OVERSCAN)
        .min(total);
    let last = (first + (VIEWPORT / ROW_HEIGHT) as usize + 2 * OVERSCAN).min(total);
    let header = |key: SortKey, label: &'static str| {
        let on_sort = props.on_sort.clone();
        let sorted = props.sort.0 == key;
        let aria = if sorted {
            if props.sort.1 {
                "ascending"
            } else {
                "descending"
            }
        } else {
            "none"
        };
        let arrow = if sorted {
            if props.sort.1 {
                " ▲"
            } else {
                " ▼"
            }
        } else {
            ""
        };
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" onclick={move |_| on_sort.emit(key)}>{ format!("{label}{arrow}") }</button>
            </th>
        }
    };
    let rows = props.images[first..last].iter().enumerate().map(|(n, img)| {
        let id = img.id.clone();
        let checked = props.selected.contains(&img.id);
        let toggle = {
            let cb = props.on_toggle.clone();
            let id = id.clone();
            Callback::from(move |_| cb.emit(id.clone()))
        };
        let marks = [(img.is_encrypted(), "Encrypted", "mark-enc"), (img.is_full_ecs(), "Full-ECS", "mark-ecs"), (img.is_public(), "Public", "mark-pub")];
        html! {
            <tr key={id.clone()} aria-rowindex={(first + n + 2).to_string()} class={classes!(checked.then_some("selected"))}>
                <td><input type="checkbox" checked={checked} onchange={toggle} aria-label={format!("Select {}", img.display_name())} /></td>
                <td class="name"><Link<Route> to={Route::Image { id: id.clone() }}>{ img.display_name() }</Link<Route>></td>
                <td><code class="id">{ &img.id }</code></td>
                <td>{ img.status.clone().unwrap_or_default() }</td>
                <td>{ img.os() }</td>
                <td class="num">{ img.size_bytes().map(human_size).unwrap_or_default() }</td>
                <td>{ img.visibility.as_ref().map(|v| v.to_string()).unwrap_or_default() }</td>
                <td>{ for marks.iter().filter(|m| m.0).map(|m| html! { <span class={classes!("mark", m.2)}>{ m.1 }</span> }) }</td>
            </tr>
        }
    });
    // Pixels as integers: float formatting would add its own code to the wasm.
    let top = first as u64 * u64::from(ROW_HEIGHT);
    let bottom = (total - last) as u64 * u64::from(ROW_HEIGHT);
    let (top_row, bottom_row) = (use_node_ref(), use_node_ref());
    {
        // The spacers' heights go through the CSSOM: a `style` attribute would be blocked by
        // the CSP's `style-src 'self'`.
        let rows = [(top_row.clone(), top), (bottom_row.clone(), bottom)];
        use_effect_with((top, bottom), move |_| {
            for (row, height) in rows {
                if let Some(el) = row.cast::<web_sys::HtmlElement>() {
                    let _ = el.style().set_property("height", &format!("{height}px"));
                }
            }
        });
    }
    // Stands in for the rows out of view.
    let spacer = |row: &NodeRef, height: u64| {
        (height > 0).then(|| html! { <tr ref={row.clone()} aria-hidden="true" class="spacer"><td colspan="8"></td></tr> })
    };
    html! {
        <div class="table-scroll" {onscroll}>
            <table aria-rowcount={(total + 1).to_string()}>
                <caption class="visually-hidden">{ &props.caption }</caption>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col"><span class="visually-hidden">{"Selected"}</span></th>
                        { header(SortKey::Name, "Name") }
                        <th scope="col">{"ID"}</th>
                        { header(SortKey::Status, "Status") }
                        { header(SortKey::Os, "OS") }
                        { header(SortKey::Size, "Size") }
                        <th scope="col">{"Visibility"}</th>
                        <th scope="col">{"Marks"}</th>
                    </tr>
                </thead>
                <tbody>
                    <>{ spacer(&top_row, top) }</>
                    <>{ for rows }</>
                    <>{ spacer(&bottom_row, bottom) }</>
                </tbody>
            </table>
        </div>
    }
}
