//! The review of an annual report in Chromium, as its people do it: cnipa opens the report from
//! its home page's waiting list, reads its narratives and frozen figures and assigns three experts
//! chosen by name (the search box narrows the list, a conflicting expert is shown with the reason
//! and cannot be chosen); each expert finds the report waiting on the home page, declares with
//! nothing chosen for them, reads the text and scores it against the rubric's Chinese labels;
//! cnipa sees each expert's state and records the result after a confirmation.

use ipoc_tests::{
    Backend, TestApp,
    browser::{self, Browser},
};

const CENTER: &str = "苏州纳米技术产业知识产权运营中心（演示）";
const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

async fn demo_site(role: &str) -> (TestApp, Browser) {
    browser::demo_site(env!("CARGO_TARGET_TMPDIR"), role, &Backend::Sqlite, &[]).await
}

/// cnipa from its home page to the report: the narratives and the frozen figures are there.
async fn cnipa_opens_the_report(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow_in_row(CENTER, "查看", "report-from-the-waiting-list")
        .await;
    let page = b.text().await;
    assert!(page.contains("报告正文"), "the report's text is shown");
    assert!(
        page.contains("年度转让许可及作价入股"),
        "a narrative is shown"
    );
    assert!(
        b.text_of("#figures").await.contains("5,600,000.00"),
        "frozen amounts grouped for reading"
    );
}

/// cnipa picks three experts by name; the conflicting one cannot be picked.
async fn cnipa_assigns_three_experts(b: &mut Browser) {
    b.look_at("#assign", "the-experts-to-choose-from").await;
    let choices = b.text_of("#expert-choices").await;
    assert!(
        choices.contains("赵磊"),
        "every expert is listed: {choices}"
    );
    assert!(
        choices.contains("专家所在单位是该中心的联盟成员"),
        "the conflict's reason is shown before submitting"
    );
    assert!(
        !b.can_tick("赵磊").await,
        "a conflicting expert cannot be chosen"
    );
    b.type_into("input[data-filter]", "交通").await;
    let narrowed = b.text_of("#expert-choices").await;
    assert!(
        narrowed.contains("李静") && !narrowed.contains("陈涛"),
        "{narrowed}"
    );
    b.type_into("input[data-filter]", "").await;
    for name in ["王明", "李静", "陈涛"] {
        b.tick(name).await;
    }
    b.submit("/assign", "指派", "three-experts-assigned").await;
    assert!(b.text().await.contains("专家已指派，已通知专家。"));
    let review = b.text_of("#review").await;
    for name in ["王明", "李静", "陈涛"] {
        assert!(review.contains(name), "{name} among the assigned: {review}");
    }
    assert_eq!(
        review.matches("待声明").count(),
        3,
        "each expert's state: {review}"
    );
    b.press("退出", "cnipa-logged-out").await;
}

/// An expert finds the report waiting, declares, reads it and scores it.
async fn expert_reviews(b: &mut Browser, email: &str, scores: [&str; 5]) {
    b.log_in(email, PASSWORD).await;
    let tasks = b.text_of("#tasks").await;
    assert!(
        tasks.contains(CENTER),
        "the center waits on the expert: {tasks}"
    );
    assert!(
        tasks.contains("江苏新材科技集团有限公司"),
        "its host: {tasks}"
    );
    assert!(
        tasks.contains("2025 年度绩效报告"),
        "what to review: {tasks}"
    );
    assert!(
        !tasks.contains("年度转让许可"),
        "nothing of the text before declaring"
    );
    b.follow_in_row(CENTER, "声明", "declaration").await;
    assert!(
        !b.text().await.contains("年度转让许可"),
        "the text waits for the declaration"
    );
    b.declare_no_conflict("declared").await;
    let page = b.text().await;
    assert!(
        page.contains("年度转让许可及作价入股"),
        "the full text once declared"
    );
    assert!(page.contains("运营规模"), "the rubric in Chinese");
    assert!(
        page.contains("年度转化运营交易额及其增长"),
        "with its description"
    );
    b.score(scores, "运营规模达标，联盟活跃。", "scored").await;
    b.press("退出", "expert-logged-out").await;
}

/// cnipa sees the three totals and records the year's result, asked first.
async fn cnipa_records_the_result(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow_in_row(CENTER, "查看", "report-scored").await;
    let review = b.text_of("#review").await;
    for total in ["83", "80", "77"] {
        assert!(review.contains(total), "the total {total} shown: {review}");
    }
    b.follow("记录决定", "decisions").await;
    b.unfold("记录决定").await;
    b.choose("/reviews/decide", "kind", "annual_result").await;
    b.fill_form("/reviews/decide", "year", "2025").await;
    b.choose("/reviews/decide", "result", "qualified").await;
    b.fill_form("/reviews/decide", "reason", "专家评审平均 80 分")
        .await;
    b.will_answer(true);
    b.submit("/reviews/decide", "记录决定", "result-recorded")
        .await;
    assert!(b.asked().contains("不可撤销"), "asked first: {}", b.asked());
    let page = b.text().await;
    assert!(
        page.contains("决定已记录。"),
        "the decision confirms itself"
    );
    assert!(b.text_of("#decisions").await.contains("合格"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cnipa_and_three_experts_review_an_annual_report() {
    let (_app, mut b) = demo_site("review").await;
    cnipa_opens_the_report(&mut b).await;
    cnipa_assigns_three_experts(&mut b).await;
    let experts = [
        ("expert@demo.ipoc.cn", ["26", "17", "13", "12", "15"]),
        ("expert2@demo.ipoc.cn", ["25", "16", "12", "12", "15"]),
        ("expert3@demo.ipoc.cn", ["24", "15", "12", "11", "15"]),
    ];
    for (email, scores) in experts {
        expert_reviews(&mut b, email, scores).await;
    }
    cnipa_records_the_result(&mut b).await;
    b.close().await;
}
