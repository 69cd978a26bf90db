//! An inventory in Chromium: the member enterprise opens 批量导入 from the library, uploads a
//! file with a bad row and reads every bad cell where it is looking (nothing imported), uploads
//! the corrected file of three rows, follows the import's progress page until it is done (up to
//! two rows run at once here, more in the background), finds the patents in the library; then in
//! English.

use ipoc::domain::identifiers::PatentNumber;
use ipoc_tests::{Backend, browser::Browser};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

/// The CSV of two patents (`bad`: a wrong industry and TRL 12 in the second), or of three.
fn inventory(dir: &std::path::Path, name: &str, bad: bool) -> std::path::PathBuf {
    let number = |n: u32| {
        PatentNumber::from_body(&format!("20221{n:07}"))
            .unwrap()
            .to_string()
    };
    let second = match bad {
        true => "不存在的产业,有效,2023-08-01,12",
        false => "新材料,有效,2023-08-01,5",
    };
    let mut text = format!(
        "申请号,专利名称,摘要,IPC分类号,所属产业,法律状态,授权日,技术成熟度,转化方式\n\
         {},一种纳米银导电墨水的制备方法,粒径 20 nm 的银颗粒分散于水性体系，可喷墨打印柔性电路。,C09D 11/52,新材料,有效,2023-05-09,6,转让；许可\n\
         {},一种石墨烯导热垫片,多层石墨烯定向排列，面内导热系数 1500 W/mK。,C09K 5/14,{second},许可\n",
        number(4_100_001),
        number(4_100_002)
    );
    if !bad {
        let third = number(4_100_003);
        text.push_str(&format!(
            "{third},一种柔性透明电极,银纳米线网络与聚合物复合。,H01B 5/14,新材料,审中,,4,合作研发\n"
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn the_member_imports_an_inventory(b: &mut Browser, dir: &std::path::Path) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library").await;
    b.follow("批量导入", "imports").await;
    let page = b.text().await;
    assert!(
        page.contains("下载导入模板") && page.contains("申请号、专利名称"),
        "{page}"
    );
    b.attach(
        "/patents/imports",
        "file",
        &inventory(dir, "inventory-bad.csv", true),
    )
    .await;
    b.expect_status(422);
    b.submit("/patents/imports", "导入", "refused").await;
    assert!(
        b.error_in_view().await,
        "the refusal where the person is looking"
    );
    let cells = b.text_of("#bad-cells").await;
    assert!(
        cells.contains("所属产业")
            && cells.contains("技术成熟度")
            && cells.contains("“不存在的产业”不在产业目录中"),
        "{cells}"
    );
    b.attach(
        "/patents/imports",
        "file",
        &inventory(dir, "inventory.csv", false),
    )
    .await;
    b.submit("/patents/imports", "导入", "started").await;
    for round in 0..40 {
        if b.text().await.contains("已完成") {
            break;
        }
        assert!(round < 39, "the import finishes: {}", b.text().await);
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        b.enter(&b.current_path().await, "progress").await;
    }
    let page = b.text().await;
    assert!(
        page.contains("inventory.csv") && page.contains("新增\t3"),
        "{page}"
    );
    b.follow("返回专利转化资源库", "library-after").await;
    assert!(
        b.text().await.contains("一种石墨烯导热垫片"),
        "the imported patents are listed"
    );
    b.follow("批量导入", "imports-again").await;
    let recent = b.text().await;
    assert!(
        recent.contains("已完成") && recent.contains("未通过校验"),
        "both imports listed: {recent}"
    );
    b.follow("English", "imports-en").await;
    let page = b.text().await;
    assert!(
        page.contains("Import an inventory") && page.contains("refused") && page.contains("done"),
        "{page}"
    );
    b.follow("中文", "imports-zh").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_imports_its_inventory_and_follows_it_to_the_end() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let dir = std::path::PathBuf::from(root).join("inventory-files");
    std::fs::create_dir_all(&dir).unwrap();
    let background = [("IPOC_IMPORT_SYNC_ROWS", "2")];
    let (_app, mut b) =
        ipoc_tests::browser::demo_site(root, "inventory", &Backend::Sqlite, &background).await;
    the_member_imports_an_inventory(&mut b, &dir).await;
    b.close().await;
}
