use ipoc_tests::each_backend;
use serde_json::Value;

each_backend! {
    async fn health_reports_the_database(app) {
        let r = app.get("/health", None).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"status":"ok","database":"ok"}));
        // the database goes away: the pool the server uses is closed under it
        app.db.clone().close().await.unwrap();
        let r = app.get("/health", None).await;
        assert_eq!(r.status(), 503);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["database"], "unreachable");
    }
}

each_backend! {
    async fn every_route_is_in_the_openapi_document_with_its_statuses(app) {
        let doc: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let expected = [
            ("/health", "get", vec!["200", "503"]),
            ("/api/v1/auth/login", "post", vec!["200", "400", "401", "422", "429"]),
            ("/api/v1/auth/register", "post", vec!["201", "400", "409", "422"]),
            ("/api/v1/me", "get", vec!["200", "401"]),
            ("/api/v1/users", "post", vec!["201", "400", "401", "403", "409", "422"]),
            ("/api/v1/users", "get", vec!["200", "401", "403", "422"]),
            ("/api/v1/users/{id}", "patch", vec!["200", "400", "401", "403", "404", "409", "422"]),
            ("/api/v1/rulebook", "get", vec!["200", "401"]),
            ("/api/v1/rulebook", "post", vec!["201", "400", "401", "403", "409", "422"]),
            ("/api/v1/organizations", "post", vec!["201", "400", "401", "409", "422"]),
            ("/api/v1/organizations", "get", vec!["200", "401", "422"]),
        ];
        for (path, method, statuses) in expected {
            let responses = &doc["paths"][path][method]["responses"];
            for status in statuses {
                assert!(responses[status].is_object(), "{method} {path} lacks {status}");
                assert!(responses[status]["content"]["application/json"]["schema"].is_object(), "{method} {path} {status} has no body schema");
            }
        }
        for path in ["/api/v1/centers", "/api/v1/centers/{id}/transactions", "/api/v1/centers/{id}/members"] {
            let content = &doc["paths"][path]["get"]["responses"]["200"]["content"];
            for mime in ["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] {
                assert!(content[mime].is_object(), "{path} downloads as {mime}");
            }
        }
        for (path, method, statuses) in [
            ("/api/v1/centers/{id}/transactions", "post", vec!["413", "503"]),
            ("/api/v1/centers/{id}/imports/transactions", "post", vec!["413", "422", "503"]),
            ("/api/v1/centers", "get", vec!["503"]),
        ] {
            for status in statuses {
                let response = &doc["paths"][path][method]["responses"][status];
                assert!(response["content"]["application/json"]["schema"].is_object(), "{method} {path} lacks {status}");
            }
        }
        let documented: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
        assert_eq!(documented, 112, "an undocumented or unexpected operation");
        let back = doc["info"]["description"].as_str().unwrap();
        assert!(back.contains("](/home)"), "the document's page leads back to the pages: {back}");
        let page = app.get("/api/docs/", None).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("swagger-initializer.js"));
        assert!(!html.contains("<script>"), "no inline script");
        assert_eq!(app.get("/api/docs/swagger-ui-bundle.js", None).await.status(), 200);
    }
}

each_backend! {
    async fn errors_have_one_shape_in_the_callers_language(app) {
        let r = app.get("/api/v1/nothing-here", None).await;
        assert_eq!(r.status(), 404);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], "未找到");
        let r = app.api.get(app.url("/api/v1/me")).header("Accept-Language", "en").send().await.unwrap();
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().starts_with("not logged in"));
        let r = app.api.get(app.url("/api/v1/me")).header("Cookie", "lang=en").send().await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().starts_with("not logged in"));
    }
}

each_backend! {
    async fn security_headers_are_on_every_response(app) {
        for path in ["/", "/api/v1/me", "/login"] {
            let r = app.get(path, None).await;
            let headers = r.headers();
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"));
            assert_eq!(headers["x-content-type-options"], "nosniff");
        }
    }
}

each_backend! {
    async fn a_parsers_own_words_never_reach_the_caller(app) {
        let center = app.center(3, "national", "320505").await;
        let c = center.id;
        let token = Some(center.token.as_str());
        let parser_words = ["deserialize", "Query", "variant", "EOF", "Zip", "EOCD", "digit"];
        let clean = |text: &str| parser_words.iter().all(|w| !text.contains(w));
        // a query value that is not allowed: named, with what is, in the caller's language
        let r = app.get("/api/v1/centers?level=foo", token).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        let said = body["error"]["fields"]["level"][0].as_str().unwrap_or_default().to_string();
        assert!(said.contains("“foo”") && said.contains("national") && clean(&said), "{body}");
        let r = app.api.get(app.url(&format!("/api/v1/centers/{c}/metrics?year=abc"))).bearer_auth(&center.token).header("Accept-Language", "en").send().await.unwrap();
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        let said = body["error"]["fields"]["year"][0].as_str().unwrap_or_default().to_string();
        assert_eq!(said, "the query parameter 'year' must be a whole number", "{body}");
        // a body that is not JSON: where it breaks, in words
        let r = app.api.post(app.url(&format!("/api/v1/centers/{c}/transactions"))).bearer_auth(&center.token).header("content-type", "application/json").body(r#"{"kind":"license","#).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        let said = body["error"]["message"].as_str().unwrap().to_string();
        assert!(said.contains("第 1 行第 18 列") && clean(&said), "{said}");
        // a file that is not a workbook: what to do, not the unzipper's words
        let r = app.upload(&format!("/api/v1/centers/{c}/imports/transactions"), &center.token, "deals.xlsx", b"PK\x03\x04 not a workbook".to_vec()).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        let said = body["error"]["rows"][0]["message"].as_str().unwrap().to_string();
        assert!(said.contains("不是可读取的 Excel 工作簿") && clean(&said), "{said}");
    }
}
