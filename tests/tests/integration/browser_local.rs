//! A provincial office in Chromium: a center's staff submits its accreditation application (asked
//! first); the office finds it waiting on its home, reads it and recommends it (asked first); its
//! dashboard names the jurisdiction it covers.

use ipoc_tests::{Backend, browser};

const CENTER: &str = "江苏新材料产业知识产权运营中心（演示）";
const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provincial_office_recommends_an_application_and_sees_its_region() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let (_app, mut b) = browser::demo_site(root, "local", &Backend::Sqlite, &[]).await;

    // the center's staff file the application
    b.log_in("center@demo.ipoc.cn", PASSWORD).await;
    b.follow("本中心", "center-page").await;
    b.follow("本中心的认定申请", "application-start").await;
    b.press("开始填写认定申请", "application-draft").await;
    let areas = [
        (
            "narrative_operations",
            "年度专利转让许可 18 项，交易额 420 万元。",
        ),
        ("narrative_key_tasks", "承担新材料专利导航专项。"),
        ("narrative_sme_service", "服务科技型中小企业 60 家。"),
        ("narrative_chain_support", "围绕高分子材料产业链补链。"),
    ];
    for (field, text) in areas {
        b.fill_form("/save", field, text).await;
    }
    b.will_answer(true);
    b.submit("/save", "提交申请", "application-submitted").await;
    assert!(b.asked().contains("冻结"), "asked first: {}", b.asked());
    assert!(b.text().await.contains("已提交，数据已冻结。"));
    b.press("退出", "center-logged-out").await;

    // the provincial office finds it waiting and recommends it
    b.log_in("local@demo.ipoc.cn", PASSWORD).await;
    b.follow_in_row(CENTER, "查看", "application").await;
    let page = b.text().await;
    assert!(
        page.contains("承担新材料专利导航专项。"),
        "the office reads what it recommends"
    );
    b.fill_form(
        "/recommend",
        "reason",
        "材料齐全，运营规模接近门槛，同意推荐。",
    )
    .await;
    b.will_answer(true);
    b.submit("/recommend", "推荐", "recommended").await;
    assert!(b.asked().contains("推荐"), "asked first: {}", b.asked());
    assert!(b.text().await.contains("已推荐，等待国家知识产权局评审。"));
    // every application of the region by state, not only what waits
    b.follow("认定申请", "applications").await;
    b.follow("已推荐，待指派专家", "applications-recommended")
        .await;
    assert!(
        b.text_of("#all-applications").await.contains(CENTER),
        "listed under its state"
    );
    b.follow("总览", "dashboard").await;
    let heading = b.text_of("h1").await;
    assert!(
        heading.contains("江苏省") && heading.contains("辖区") && heading.contains("320000"),
        "{heading}"
    );
    b.close().await;
}
