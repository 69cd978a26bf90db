//! The OpenAPI document describes what the routes answer: each answer below is held against the
//! schema the document gives for its route and status (every required field present, no field
//! the schema does not name, types as written), for each kind of caller that reads it.

use ipoc_tests::{TestApp, backends, spawn_demo_app};
use serde_json::{Map, Value};

/// Where `value` departs from `schema` (resolving `$ref` in `doc`), as `path: what` lines.
fn departures(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return departures(doc, &doc["components"]["schemas"][name], value, at, out);
    }
    if let Some(all) = schema["allOf"].as_array() {
        let merged = merge(doc, all);
        return departures(doc, &merged, value, at, out);
    }
    if let Some(any) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = any.iter().any(|s| {
            let mut none = Vec::new();
            departures(doc, s, value, at, &mut none);
            none.is_empty()
        });
        if !fits {
            out.push(format!(
                "{at}: fits none of its {} alternatives: {value}",
                any.len()
            ));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !fits {
        out.push(format!("{at}: a {kind}, documented as {types:?}"));
        return;
    }
    match value {
        Value::Object(fields) => {
            let properties = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap();
                if !fields.contains_key(name) {
                    out.push(format!("{at}.{name}: required, missing"));
                }
            }
            for (name, field) in fields {
                match properties.get(name) {
                    Some(s) => departures(doc, s, field, &format!("{at}.{name}"), out),
                    None if schema["additionalProperties"].is_object() => departures(
                        doc,
                        &schema["additionalProperties"],
                        field,
                        &format!("{at}.{name}"),
                        out,
                    ),
                    None if schema["additionalProperties"] == Value::Bool(true) => {}
                    None if properties.is_empty() && schema["additionalProperties"].is_null() => {}
                    None => out.push(format!("{at}.{name}: not in the document")),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().take(3) {
                departures(doc, &schema["items"], item, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The object schema `allOf` amounts to (its parts' properties and required fields together).
fn merge(doc: &Value, parts: &[Value]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        let mut part = part.clone();
        while let Some(reference) = part["$ref"].as_str() {
            let name = reference
                .trim_start_matches("#/components/schemas/")
                .to_string();
            part = doc["components"]["schemas"][name].clone();
        }
        let part = match part["allOf"].as_array() {
            Some(inner) => merge(doc, inner),
            None => part,
        };
        properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
        required.extend(part["required"].as_array().cloned().unwrap_or_default());
    }
    serde_json::json!({"type": "object", "properties": properties, "required": required})
}

/// `GET path` as `token`, held against the document's schema of its 200 answer.
async fn holds(
    app: &TestApp,
    doc: &Value,
    route: &str,
    path: &str,
    token: &str,
    out: &mut Vec<String>,
) {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status(), 200, "{path}");
    let value: Value = r.json().await.unwrap();
    let schema =
        &doc["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{route} documents its 200 answer");
    departures(doc, schema, &value, path, out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_each_caller_reads_is_what_the_document_says() {
    for backend in backends() {
        let app = spawn_demo_app(&backend, &[]).await;
        let doc: Value = app
            .get("/api/openapi.json", None)
            .await
            .json()
            .await
            .unwrap();
        let password = ipoc::seed::demo::DEMO_PASSWORD;
        let mut out = Vec::new();
        let reads = [
            ("/api/v1/me", "/api/v1/me"),
            ("/api/v1/rulebook", "/api/v1/rulebook"),
            ("/api/v1/centers", "/api/v1/centers"),
            ("/api/v1/centers/{id}", "/api/v1/centers/1"),
            ("/api/v1/centers/{id}", "/api/v1/centers/3"),
            ("/api/v1/applications", "/api/v1/applications"),
            ("/api/v1/organization-links", "/api/v1/organization-links"),
            ("/api/v1/industries", "/api/v1/industries"),
            ("/api/v1/organizations", "/api/v1/organizations"),
        ];
        for email in [
            "cnipa@demo.ipoc.cn",
            "member@demo.ipoc.cn",
            "center@demo.ipoc.cn",
            "local@demo.ipoc.cn",
        ] {
            let token = app.login(email, password).await;
            for (route, path) in reads {
                let r = app.get(path, Some(&token)).await;
                if r.status() == 200 {
                    holds(&app, &doc, route, path, &token, &mut out).await;
                }
            }
        }
        let cnipa = app.login("cnipa@demo.ipoc.cn", password).await;
        for (route, path) in [
            ("/api/v1/dashboard", "/api/v1/dashboard"),
            ("/api/v1/users", "/api/v1/users"),
            ("/api/v1/centers/{id}/metrics", "/api/v1/centers/2/metrics"),
            ("/api/v1/centers/{id}/reports", "/api/v1/centers/2/reports"),
            (
                "/api/v1/centers/{id}/reports/{year}",
                "/api/v1/centers/2/reports/2025",
            ),
            (
                "/api/v1/centers/{id}/transactions",
                "/api/v1/centers/2/transactions",
            ),
            (
                "/api/v1/centers/{id}/projects",
                "/api/v1/centers/2/projects",
            ),
            ("/api/v1/centers/{id}/members", "/api/v1/centers/2/members"),
            (
                "/api/v1/centers/{id}/decisions",
                "/api/v1/centers/3/decisions",
            ),
            (
                "/api/v1/centers/{id}/applications",
                "/api/v1/centers/2/applications",
            ),
            (
                "/api/v1/centers/{id}/metrics/records",
                "/api/v1/centers/2/metrics/records?year=2025&figure=operation_amount",
            ),
        ] {
            let token = if route == "/api/v1/users" {
                app.login("admin@demo.ipoc.cn", password).await
            } else {
                cnipa.clone()
            };
            holds(&app, &doc, route, path, &token, &mut out).await;
        }
        for (route, path) in [
            ("/api/v1/public/centers", "/api/v1/public/centers"),
            ("/api/v1/public/centers/{id}", "/api/v1/public/centers/4"),
        ] {
            let r = app.get(path, None).await;
            assert_eq!(r.status(), 200, "{path}");
            let value: Value = r.json().await.unwrap();
            departures(
                &doc,
                &doc["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
                &value,
                path,
                &mut out,
            );
        }
        assert!(
            out.is_empty(),
            "{backend:?}: {} departures from the document:\n{}",
            out.len(),
            out.join("\n")
        );
    }
}
