//! The admin in Chromium: people found by e-mail or name; an expert created with a name and an
//! organization found by typing part of its name; an account disabled only after saying yes; a
//! rulebook version created from a form, a refused date shown at its field.

use ipoc_tests::{
    Backend,
    browser::{self, Browser},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_finds_people_creates_an_expert_and_a_rulebook_version() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let (_app, mut b) = browser::demo_site(root, "admin", &Backend::Sqlite, &[]).await;
    b.log_in("admin@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    b.follow("用户管理", "users").await;

    // by name, then by part of an e-mail address
    b.fill("q", "王明").await;
    b.press("搜索", "found-by-name").await;
    let found = b.text_of("table.list tbody").await;
    assert!(
        found.contains("expert@demo.ipoc.cn") && !found.contains("李静"),
        "{found}"
    );
    b.fill("q", "expert2@").await;
    b.press("搜索", "found-by-e-mail").await;
    assert!(b.text_of("table.list tbody").await.contains("李静"));

    // an expert with an organization found by typing part of its name
    b.unfold("新建用户").await;
    b.fill_form("/admin/users", "email", "expert5@demo.ipoc.cn")
        .await;
    b.fill_form("/admin/users", "name", "孙评审").await;
    b.fill_form("/admin/users", "password", "a-long-password-2026")
        .await;
    b.choose("/admin/users", "role", "expert").await;
    b.fill_form("/admin/users", "organization", "上海交通")
        .await;
    let offered = wait_for_choices(&b).await;
    let choice = offered.iter().find(|o| o.contains("上海交通大学")).cloned();
    let choice = choice.unwrap_or_else(|| panic!("the search offers it: {offered:?}"));
    b.fill_form("/admin/users", "organization", &choice).await;
    b.submit("/admin/users", "创建", "expert-created").await;
    assert!(
        b.text().await.contains("用户已创建。"),
        "the creation confirms itself"
    );
    let row = b.text_of("table.list tbody").await;
    assert!(row.contains("孙评审") && row.contains("评审专家"), "{row}");

    // disabling asks first; no keeps the account
    b.will_answer(false);
    b.press_in_row("expert5@demo.ipoc.cn", "停用", "disable-declined")
        .await;
    assert!(b.asked().contains("无法登录"), "{}", b.asked());
    assert!(b.text_of("table.list tbody").await.contains("正常"));
    b.will_answer(true);
    b.press_in_row("expert5@demo.ipoc.cn", "停用", "disabled")
        .await;
    assert!(b.text_of("table.list tbody").await.contains("已停用"));

    // a rulebook version from a form; a day in the past is refused at its field
    b.follow("规则版本", "rulebook").await;
    b.unfold("新建规则版本").await;
    b.pick_date("/rulebook", "effective_from", "2026-01-01")
        .await;
    b.fill_form("/rulebook", "annual_amount_threshold", "6,000,000")
        .await;
    b.expect_status(422);
    b.will_answer(true);
    b.submit("/rulebook", "创建版本", "rulebook-refused").await;
    assert!(b.error_in_view().await, "the refusal is in view");
    assert!(b.text_of(".field-error").await.contains("不得早于今天"));
    b.pick_date("/rulebook", "effective_from", "2027-01-01")
        .await;
    b.will_answer(true);
    b.submit("/rulebook", "创建版本", "rulebook-created").await;
    let page = b.text().await;
    assert!(
        page.contains("规则版本已创建。"),
        "the creation confirms itself"
    );
    assert!(
        page.contains("版本 2") && page.contains("6,000,000.00 元"),
        "the new version is listed"
    );
    b.close().await;
}

/// The choices the organization search offers once it has answered.
async fn wait_for_choices(b: &Browser) -> Vec<String> {
    let script = "return Array.from(document.querySelectorAll('#organization-choices option')).map(o => o.value)";
    for _ in 0..50 {
        let found = b
            .client
            .execute(script, Vec::new())
            .await
            .expect("read the choices");
        let found: Vec<String> = serde_json::from_value(found).unwrap_or_default();
        if !found.is_empty() {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Vec::new()
}
