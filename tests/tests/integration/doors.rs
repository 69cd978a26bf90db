//! One test holds every route × actor against its row in `doors_table.rs`, on each backend.

use std::collections::{BTreeMap, BTreeSet};

use ipoc_tests::{TestApp, backends, csrf_from, spawn_demo_app};
use serde_json::{Value, json};

use super::doors_table::{API, BODIES, PAGES, Row};

use ipoc::seed::demo::DEMO_PASSWORD;

/// One caller: its API token (none when anonymous) and its page session with its CSRF token.
struct Caller {
    token: Option<String>,
    pages: reqwest::Client,
    csrf: String,
}

/// The callers in the order of a row's statuses, and the values of the placeholders in its paths.
struct World {
    callers: Vec<Caller>,
    values: BTreeMap<&'static str, String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_caller_as_its_row_says() {
    for backend in backends() {
        let app = spawn_demo_app(&backend, &[]).await;
        every_route_has_its_row(&app).await;
        let world = World::build(&app).await;
        let mut wrong = Vec::new();
        for (table, rows) in [("API", API), ("PAGES", PAGES)] {
            for row in rows {
                let got = world.statuses(&app, row, table == "API").await;
                if got != row.3 {
                    wrong.push(format!(
                        "{table}: (\"{}\", \"{}\", \"{}\", \"{got}\"), expected \"{}\"",
                        row.0, row.1, row.2, row.3
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{backend:?}: {} rows differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

/// The rows are exactly the documented operations and the registered pages.
async fn every_route_has_its_row(app: &TestApp) {
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let rows = |table: &[Row]| -> BTreeSet<(String, String)> {
        table
            .iter()
            .map(|r| (r.0.to_string(), r.1.to_string()))
            .collect()
    };
    assert_eq!(
        rows(API),
        documented,
        "API rows against the OpenAPI document"
    );
    let registered: BTreeSet<(String, String)> = ipoc::routes::pages()
        .into_iter()
        .flat_map(|(_, routes)| routes.iter())
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(rows(PAGES), registered, "page rows against the page routes");
}

#[test]
fn each_list_of_page_routes_is_the_routes_of_its_file() {
    for (file, listed) in ipoc::routes::pages() {
        let path = format!(
            "{}/../server/src/routes/{file}.rs",
            env!("CARGO_MANIFEST_DIR")
        );
        let source = std::fs::read_to_string(&path).unwrap();
        let in_file: BTreeSet<(String, String)> = route_attributes(&source)
            .into_iter()
            .filter(|(_, p)| {
                file != "auth/links"
                    || !p.ends_with("approve")
                        && !p.ends_with("decline")
                        && p != "/organization-links"
            })
            .collect();
        let listed: BTreeSet<(String, String)> = listed
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        if file == "openapi" {
            assert!(
                source.contains("/api/docs/") && source.contains("/api/openapi.json"),
                "{file}"
            );
            continue;
        }
        assert_eq!(
            listed, in_file,
            "{file}.rs: its ROUTES against its route attributes"
        );
    }
}

/// The `(METHOD, path)` of each `#[get("…")]`-style route attribute in `source`.
fn route_attributes(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for method in ["get", "post", "put", "patch", "delete"] {
        let opening = format!("#[{method}(\"");
        for (at, _) in source.match_indices(&opening) {
            let rest = &source[at + opening.len()..];
            let path = rest.split('"').next().unwrap();
            found.push((method.to_uppercase(), path.to_string()));
        }
    }
    found
}

impl World {
    /// Logs every caller in and makes what the rows' paths name: an application of the demo
    /// center with an attachment, a service event, a join request and an organization-link request.
    async fn build(app: &TestApp) -> World {
        let staff = app.login("center@demo.ipoc.cn", DEMO_PASSWORD).await;
        let member = app.login("member@demo.ipoc.cn", DEMO_PASSWORD).await;
        let me: Value = app
            .get("/api/v1/me", Some(&staff))
            .await
            .json()
            .await
            .unwrap();
        let c = me["center_id"].as_i64().unwrap();
        let first = |body: Value| {
            body["items"][0]["id"]
                .as_i64()
                .expect("a record")
                .to_string()
        };
        let records = |kind: &str| format!("/api/v1/centers/{c}/{kind}");
        let application = post(
            app,
            &format!("/api/v1/centers/{c}/applications"),
            &staff,
            json!({"narratives": {"operations": "全年转让许可 8 项"}}),
        )
        .await;
        let app_id = application["id"]
            .as_i64()
            .expect("an application")
            .to_string();
        let attachment = app
            .upload(
                &format!("/api/v1/applications/{app_id}/attachments"),
                &staff,
                "证明.pdf",
                b"%PDF-1.4 demo".to_vec(),
            )
            .await;
        assert_eq!(attachment.status(), 201, "an attachment");
        let att = attachment.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string();
        let event = post(app, &records("events"), &staff, json!({"kind": "roadshow", "date": "2026-10-10", "title": "新材料专利路演", "served_uscc": []})).await;
        let newcomer = json!({"email": "doors-newcomer@example.cn", "password": "long-enough-pw", "name": "新成员", "organization": {"uscc": ipoc_tests::uscc(9901), "name": "门禁测试材料有限公司", "kind": "enterprise", "region_code": "320505"}});
        assert_eq!(
            app.post_json("/api/v1/auth/register", None, &newcomer)
                .await
                .status(),
            201,
            "a newcomer"
        );
        let newcomer = app
            .login("doors-newcomer@example.cn", "long-enough-pw")
            .await;
        let join = post(
            app,
            &format!("/api/v1/centers/{c}/join-requests"),
            &newcomer,
            json!({"message": "希望加入联盟"}),
        )
        .await;
        let linked = link_request(app, "doors-link@example.cn").await;
        let linked2 = link_request(app, "doors-link2@example.cn").await;
        // a listing of a member organization of the demo center, listed by its staff
        let listing = json!({"application_number": "201710601862.3", "title": "一种纳米复合涂层", "abstract": "门禁测试用摘要。", "ipc": ["C09D 5/00"], "owner_uscc": "91320594100000003K", "industry": "新材料", "legal_status": "granted", "grant_date": "2020-05-01", "offered_modes": ["transfer"]});
        let listing = post(app, "/api/v1/patents", &staff, listing).await;
        // a demand of that member seen only by its alliance, registered by the same staff
        let demand = json!({"title": "门禁测试需求", "description": "门禁测试用描述。", "industry": "新材料", "wanted_mode": "license", "valid_until": "2027-06-30", "visibility": "alliance", "member_uscc": "91320594100000003K"});
        let demand = post(app, "/api/v1/demands", &staff, demand).await;
        let mut values = BTreeMap::new();
        values.insert(
            "{demand}",
            demand["id"].as_i64().expect("a demand").to_string(),
        );
        values.insert(
            "{listing}",
            listing["id"].as_i64().expect("a listing").to_string(),
        );
        values.insert("{c}", c.to_string());
        values.insert("{report_center}", "2".to_string());
        values.insert("{app}", app_id);
        values.insert("{att}", att);
        values.insert("{ev}", event["id"].as_i64().expect("an event").to_string());
        values.insert(
            "{join}",
            join["id"].as_i64().expect("a join request").to_string(),
        );
        values.insert("{link}", linked);
        values.insert("{link2}", linked2);
        values.insert("{public}", "4".to_string());
        values.insert("{user}", me["id"].as_i64().unwrap().to_string());
        values.insert(
            "{tx}",
            first(get(app, &records("transactions"), &staff).await),
        );
        values.insert("{pj}", first(get(app, &records("projects"), &staff).await));
        values.insert("{mb}", first(get(app, &records("members"), &staff).await));
        let (elsewhere, elsewhere_email) = app.office("440000").await;
        let expert = app.expert(None).await;
        let mut callers = vec![Caller::anonymous(app).await];
        for email in [
            "admin@demo.ipoc.cn",
            "cnipa@demo.ipoc.cn",
            "local@demo.ipoc.cn",
        ] {
            callers.push(Caller::demo(app, email, None).await);
        }
        callers
            .push(Caller::logged_in(app, &elsewhere_email, ipoc_tests::PASSWORD, elsewhere).await);
        callers.push(Caller::logged_in(app, &expert.2, ipoc_tests::PASSWORD, expert.0).await);
        callers.push(Caller::demo(app, "center@demo.ipoc.cn", Some(staff)).await);
        callers.push(Caller::demo(app, "nanjing@demo.ipoc.cn", None).await);
        callers.push(Caller::demo(app, "member@demo.ipoc.cn", Some(member)).await);
        World { callers, values }
    }

    /// The status each caller gets for `row`, written as the row writes them.
    async fn statuses(&self, app: &TestApp, row: &Row, api: bool) -> String {
        let mut path = row.2.to_string();
        for (name, value) in &self.values {
            path = path.replace(name, value);
        }
        let method = reqwest::Method::from_bytes(row.0.as_bytes()).unwrap();
        let body = BODIES
            .iter()
            .find(|b| (b.0, b.1) == (row.0, row.1))
            .map(|b| b.2);
        let mut got = Vec::new();
        for caller in &self.callers {
            let status = if api {
                let mut request = app.api.request(method.clone(), app.url(&path));
                if method != reqwest::Method::GET {
                    let body = body.map_or(json!({}), |b| serde_json::from_str(b).unwrap());
                    request = request.json(&body);
                }
                if let Some(token) = &caller.token {
                    request = request.bearer_auth(token);
                }
                request.send().await.unwrap().status()
            } else {
                let mut request = caller.pages.request(method.clone(), app.url(&path));
                request = match (method == reqwest::Method::POST, body) {
                    (false, _) => request,
                    (true, Some("multipart")) => {
                        let file =
                            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt");
                        let form = reqwest::multipart::Form::new()
                            .text("csrf_token", caller.csrf.clone())
                            .part("file", file);
                        request.multipart(form)
                    }
                    (true, fields) => {
                        let mut form: Vec<(String, String)> =
                            form_urlencoded::parse(fields.unwrap_or("").as_bytes())
                                .into_owned()
                                .collect();
                        form.push(("csrf_token".into(), caller.csrf.clone()));
                        request.form(&form)
                    }
                };
                request.send().await.unwrap().status()
            };
            got.push(status.as_u16().to_string());
        }
        got.join(" ")
    }
}

impl Caller {
    /// No account: a page session that has seen the login form (so it holds a CSRF token).
    async fn anonymous(app: &TestApp) -> Caller {
        let pages = app.browser();
        let login = pages
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Caller {
            token: None,
            pages,
            csrf: csrf_from(&login),
        }
    }

    /// A demo account, with `token` when its API session already exists.
    async fn demo(app: &TestApp, email: &str, token: Option<String>) -> Caller {
        let token = match token {
            Some(token) => token,
            None => app.login(email, DEMO_PASSWORD).await,
        };
        Caller::logged_in(app, email, DEMO_PASSWORD, token).await
    }

    /// An account with its API `token` and a page session of its own.
    async fn logged_in(app: &TestApp, email: &str, password: &str, token: String) -> Caller {
        let (pages, csrf) = app.browser_login_with(email, password).await;
        Caller {
            token: Some(token),
            pages,
            csrf,
        }
    }
}

/// Registers `email` with the code of an organization in the demo center's alliance: the id of
/// the link request that waits.
async fn link_request(app: &TestApp, email: &str) -> String {
    let body = json!({"email": email, "password": "long-enough-pw", "name": "链接申请人", "organization": {"uscc": "91320505700000008A"}});
    assert_eq!(
        app.post_json("/api/v1/auth/register", None, &body)
            .await
            .status(),
        201,
        "a link request"
    );
    let token = app.login(email, "long-enough-pw").await;
    let me: Value = app
        .get("/api/v1/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    me["organization_link"]["id"]
        .as_i64()
        .expect("a link")
        .to_string()
}

/// `GET path` as `token`: the JSON answer.
async fn get(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

/// `POST body` to `path` as `token`: the JSON answer of a 201.
async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let r = app.post_json(path, Some(token), &body).await;
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "{path}: {body}");
    body
}
