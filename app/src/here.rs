//! Where the page is, for code that runs both on the server and inside an island.
//! On the server the router knows the URL; in the browser an island has no router
//! (pages are rendered on the server only), and the window's location is the URL.
//! Both read the same address, so an island hydrates against what the server drew.

use leptos_router::params::ParamsMap;

/// The page's path, e.g. `/cms/12/console/entries`.
pub fn path() -> String {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .location()
            .pathname()
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use leptos::prelude::GetUntracked;
        leptos_router::hooks::use_location()
            .pathname
            .get_untracked()
    }
}

/// The page's query string, without its `?`.
pub fn search() -> String {
    #[cfg(feature = "hydrate")]
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    let search = {
        use leptos::prelude::GetUntracked;
        leptos_router::hooks::use_location().search.get_untracked()
    };
    search.trim_start_matches('?').to_owned()
}

/// The page's query, decoded.
pub fn query() -> ParamsMap {
    #[cfg(feature = "hydrate")]
    {
        parse_query(&search())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use leptos::prelude::GetUntracked;
        leptos_router::hooks::use_query_map().get_untracked()
    }
}

/// `a=1&b=x+y%21` → {a: 1, b: "x y!"}, as browsers encode forms.
pub fn parse_query(search: &str) -> ParamsMap {
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned()
    };
    search
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Goes to another page: a page load, as every page is the server's.
pub fn go_to(href: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(href);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = href;
    }
}

/// What an island shows when its data says the session has ended: on the server a
/// redirect, in the browser a page load of `path`.
pub fn signed_out(path: String) -> leptos::prelude::AnyView {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::IntoAny;
        go_to(&path);
        ().into_any()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use leptos::prelude::*;
        view! { <leptos_router::components::Redirect path /> }.into_any()
    }
}

/// Loads the page again, e.g. after a change the server-rendered list must show.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().reload();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_as_browsers_encode_forms() {
        let query = parse_query("mode=name&q=caf%C3%A9+bar&empty=&flag");
        assert_eq!(query.get("mode").as_deref(), Some("name"));
        assert_eq!(query.get("q").as_deref(), Some("café bar"));
        assert_eq!(query.get("empty").as_deref(), Some(""));
        assert_eq!(query.get("flag").as_deref(), Some(""));
        assert_eq!(query.get("missing"), None);
    }
}
