//! Records a test needs before it starts: organizations, centers with their staff, experts, deals.

use ipoc::domain::users::{self, Role};
use serde_json::{Value, json};

use crate::{PASSWORD, TestApp};

/// A valid USCC made from a number (unique per number).
pub fn uscc(n: u64) -> String {
    ipoc::domain::identifiers::with_check_character(&format!("91320500{n:09}"))
        .expect("valid code")
        .to_string()
}

/// A center created over the API by a fresh `center` user, with a leading-enterprise host: the
/// staff token and the center id.
pub struct CenterFixture {
    pub token: String,
    pub id: i64,
    pub host_uscc: String,
}

impl TestApp {
    /// A member of a new organization of `kind` (code `uscc(n)`, named `{name}{n}`, in Suzhou),
    /// registered as `member-{n}@example.test` and logged in: its token.
    pub async fn member_of(&self, n: u64, kind: &str, name: &str) -> String {
        let email = format!("member-{n}@example.test");
        let organization = json!({"uscc": uscc(n), "name": format!("{name}{n}"), "kind": kind, "region_code": "320505"});
        let body = json!({"email": email, "password": "long-enough-pw", "name": "会员", "organization": organization});
        let status = self
            .post_json("/api/v1/auth/register", None, &body)
            .await
            .status();
        assert_eq!(status, 201, "member {n}");
        self.login(&email, "long-enough-pw").await
    }

    /// Registers an organization over the API (as an admin created on the fly) and returns its USCC.
    pub async fn organization(&self, n: u64, kind: &str, flags: &[&str]) -> String {
        let code = uscc(n);
        let admin = self.admin_token().await;
        let body = json!({"uscc": code, "name": format!("测试机构{n}"), "kind": kind, "region_code": "320505", "flags": flags});
        let r = self
            .post_json("/api/v1/organizations", Some(&admin), &body)
            .await;
        assert_eq!(r.status(), 201, "organization {n}");
        code
    }

    /// A token of an admin (created once per app).
    pub async fn admin_token(&self) -> String {
        let email = "harness-admin@test.ipoc.cn";
        if users::find_by_email(&self.db, email)
            .await
            .expect("lookup")
            .is_none()
        {
            self.create_user(email, Role::Admin, None).await;
        }
        self.login(email, PASSWORD).await
    }

    /// A national center in region `region` created by a new center user.
    pub async fn center(&self, host_n: u64, level: &str, region: &str) -> CenterFixture {
        let host_uscc = self.organization(host_n, "enterprise", &["leading"]).await;
        let (token, _) = self.login_as(Role::Center).await;
        let body = json!({"name": format!("中心{host_n}"), "level": level, "industry": "新材料", "region_code": region, "host_uscc": host_uscc});
        let r = self.post_json("/api/v1/centers", Some(&token), &body).await;
        assert_eq!(r.status(), 201, "create center");
        let center: Value = r.json().await.expect("json");
        CenterFixture {
            token,
            id: center["id"].as_i64().expect("id"),
            host_uscc,
        }
    }

    /// Posts a deal and returns its body (panics unless 201).
    pub async fn deal(
        &self,
        center: &CenterFixture,
        kind: &str,
        amount: &str,
        date: &str,
    ) -> Value {
        // one contract, one deal: each deal of the fixtures has its own number
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body = json!({"kind": kind, "amount": amount, "contract_date": date, "patent_numbers": ["201710601862.3"], "counterparty_uscc": [uscc(999_999)], "contract_no": format!("HT-{number}")});
        let r = self
            .post_json(
                &format!("/api/v1/centers/{}/transactions", center.id),
                Some(&center.token),
                &body,
            )
            .await;
        assert_eq!(r.status(), 201, "deal {amount} {date}");
        r.json().await.expect("json")
    }

    /// The metrics of a center for `year`.
    pub async fn metrics(&self, center: &CenterFixture, year: i32) -> Value {
        let r = self
            .get(
                &format!("/api/v1/centers/{}/metrics?year={year}", center.id),
                Some(&center.token),
            )
            .await;
        assert_eq!(r.status(), 200, "metrics {year}");
        r.json().await.expect("json")
    }

    /// Uploads `bytes` as the multipart `file` named `name` to `path`.
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.api
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }
}

/// The verdict of `rule` in a metrics body.
pub fn criterion(metrics: &Value, rule: &str) -> (bool, String) {
    let c = metrics["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["rule"] == rule)
        .expect("rule");
    (
        c["passed"].as_bool().expect("passed"),
        c["detail"].as_str().expect("detail").to_string(),
    )
}
