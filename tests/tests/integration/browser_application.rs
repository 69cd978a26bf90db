//! An accreditation application's whole review in Chromium: the center's staff submit it, the
//! provincial office recommends it, cnipa opens it from its home page's waiting list, reads its
//! text and frozen figures and assigns three experts chosen by name; each expert finds it on the
//! home page, declares with nothing chosen for them, reads it and scores it against the rubric's
//! Chinese labels; cnipa sees each expert's state and total and decides, asked first.

use ipoc_tests::{Backend, browser::Browser};

const CENTER: &str = "江苏新材料产业知识产权运营中心（演示）";
const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

/// The staff submit the application and the office recommends it, each asked first.
async fn submitted_and_recommended(b: &mut Browser) {
    b.log_in("center@demo.ipoc.cn", PASSWORD).await;
    b.follow("本中心", "center-page").await;
    b.follow("本中心的认定申请", "application-start").await;
    b.press("开始填写认定申请", "application-draft").await;
    for (field, text) in [
        (
            "narrative_operations",
            "年度专利转让许可 18 项，交易额 420 万元。",
        ),
        ("narrative_key_tasks", "承担新材料专利导航专项。"),
        ("narrative_sme_service", "服务科技型中小企业 60 家。"),
        ("narrative_chain_support", "围绕高分子材料产业链补链。"),
    ] {
        b.fill_form("/save", field, text).await;
    }
    b.will_answer(true);
    b.submit("/save", "提交申请", "application-submitted").await;
    assert!(b.text().await.contains("已提交，数据已冻结。"));
    b.press("退出", "center-logged-out").await;
    b.log_in("local@demo.ipoc.cn", PASSWORD).await;
    b.follow_in_row(CENTER, "查看", "application-to-recommend")
        .await;
    b.fill_form("/recommend", "reason", "材料齐全，同意推荐。")
        .await;
    b.will_answer(true);
    b.submit("/recommend", "推荐", "recommended").await;
    assert!(b.text().await.contains("已推荐，等待国家知识产权局评审。"));
    b.press("退出", "office-logged-out").await;
}

/// cnipa finds the application waiting (its menu counts it), reads it and picks three experts.
async fn cnipa_assigns_three_experts(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    let menu = b.text_of("header nav").await;
    assert!(
        menu.contains("认定申请 1"),
        "the menu counts what waits: {menu}"
    );
    b.follow("认定申请", "applications").await;
    b.follow_in_row(CENTER, "查看", "application-from-the-queue")
        .await;
    let page = b.text().await;
    assert!(
        page.contains("承担新材料专利导航专项。"),
        "cnipa reads the text it decides on"
    );
    assert!(page.contains("已推荐，待指派专家"), "its state in words");
    assert!(page.contains("材料齐全，同意推荐。"), "the office's reason");
    let choices = b.text_of("#expert-choices").await;
    for name in ["王明", "李静", "陈涛", "赵磊"] {
        assert!(choices.contains(name), "{name} listed by name: {choices}");
    }
    assert!(
        choices.contains("浙江大学"),
        "with their organization: {choices}"
    );
    b.type_into("input[data-filter]", "宁波").await;
    let narrowed = b.text_of("#expert-choices").await;
    assert!(
        narrowed.contains("陈涛") && !narrowed.contains("王明"),
        "{narrowed}"
    );
    b.type_into("input[data-filter]", "").await;
    for name in ["王明", "李静", "陈涛"] {
        b.tick(name).await;
    }
    b.submit("/assign", "指派", "three-experts-assigned").await;
    let page = b.text().await;
    assert!(
        page.contains("专家已指派，已通知专家。"),
        "the assignment confirms itself"
    );
    assert!(page.contains("专家评审中"), "{page}");
    assert_eq!(page.matches("待声明").count(), 3, "each expert's state");
    b.press("退出", "cnipa-logged-out").await;
}

/// An expert finds the application on the home page, declares, reads it and scores it.
async fn expert_scores(b: &mut Browser, email: &str, scores: [&str; 5]) {
    b.log_in(email, PASSWORD).await;
    let tasks = b.text_of("#tasks").await;
    assert!(
        tasks.contains(CENTER) && tasks.contains("江苏新材科技集团有限公司"),
        "{tasks}"
    );
    assert!(
        !tasks.contains("专利导航"),
        "nothing of the text before declaring"
    );
    b.follow_in_row(CENTER, "声明", "declaration").await;
    assert!(
        !b.text().await.contains("专利导航"),
        "the text waits for the declaration"
    );
    b.declare_no_conflict("declared").await;
    let page = b.text().await;
    assert!(
        page.contains("承担新材料专利导航专项。"),
        "the full text once declared"
    );
    assert!(page.contains("运营规模"), "the rubric in Chinese");
    b.score(scores, "运营基础较好，项目储备不足。", "scored")
        .await;
    b.press("退出", "expert-logged-out").await;
}

/// cnipa sees the three totals and decides, asked first; a missing outcome is named in view.
async fn cnipa_decides(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow("认定申请", "applications-scored").await;
    b.follow_in_row(CENTER, "查看", "application-scored").await;
    let page = b.text().await;
    for total in ["70", "66", "62"] {
        assert!(page.contains(total), "the total {total} shown");
    }
    b.fill_form("/decide", "reason", "项目数量与交易额均未达到认定条件。")
        .await;
    b.will_answer(true);
    b.expect_status(422);
    b.submit("/decide", "记录决定", "decided-without-outcome")
        .await;
    assert!(
        b.error_in_view().await,
        "the error shows where the person is looking"
    );
    assert!(
        b.text_of(".field-error").await.contains("请选择结论"),
        "the missing outcome named"
    );
    assert_eq!(
        b.value_of("textarea[name=reason]").await,
        "项目数量与交易额均未达到认定条件。",
        "the reason typed is kept"
    );
    b.tick("不予认定").await;
    b.will_answer(true);
    b.submit("/decide", "记录决定", "decided").await;
    assert!(b.asked().contains("不可撤销"), "asked first: {}", b.asked());
    let page = b.text().await;
    assert!(
        page.contains("决定已记录。"),
        "the decision confirms itself"
    );
    assert!(page.contains("不予认定"), "the outcome in words");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cnipa_and_three_experts_review_an_application() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let (_app, mut b) =
        ipoc_tests::browser::demo_site(root, "application", &Backend::Sqlite, &[]).await;
    submitted_and_recommended(&mut b).await;
    cnipa_assigns_three_experts(&mut b).await;
    for (email, scores) in [
        ("expert@demo.ipoc.cn", ["22", "12", "12", "12", "12"]),
        ("expert2@demo.ipoc.cn", ["20", "12", "12", "10", "12"]),
        ("expert3@demo.ipoc.cn", ["18", "12", "12", "8", "12"]),
    ] {
        expert_scores(&mut b, email, scores).await;
    }
    cnipa_decides(&mut b).await;
    b.close().await;
}
