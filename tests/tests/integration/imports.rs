use ipoc_tests::{each_backend, uscc};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

fn deals_csv(rows: usize, bad_last: bool) -> Vec<u8> {
    let mut text = String::from(
        "类型,金额(元),合同日期,专利号,交易对方统一社会信用代码,合同编号,是否关联交易,备注\n",
    );
    for i in 0..rows {
        let amount = if bad_last && i + 1 == rows {
            "12.345".to_string()
        } else {
            format!("{}.50", 1000 + i)
        };
        text.push_str(&format!(
            "许可,{amount},2025-0{}-15,201710601862.3；ZL 2017 1 0601862.3,{},HT-{i},否,第{i}笔\n",
            i % 9 + 1,
            uscc(1)
        ));
    }
    text.into_bytes()
}

each_backend! {
    async fn a_csv_of_deals_imports_whole_and_counts(app) {
        let center = app.center(1, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let r = app.upload(&path, &center.token, "deals.csv", deals_csv(3, false)).await;
        assert_eq!(r.status(), 201);
        let report: Value = r.json().await.unwrap();
        assert_eq!(report["rows"], 3);
        assert_eq!(report["sha256"].as_str().unwrap().len(), 64);
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["amount_by_kind"]["license"], "3004.50");
        assert_eq!(app.audit_count("import.transactions").await, 1);
        let list: Value = app.get(&format!("/api/v1/centers/{}/transactions", center.id), Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["import_id"], report["import_id"]);
        assert_eq!(list["items"][0]["patent_numbers"], serde_json::json!(["201710601862.3", "201710601862.3"]));
    }
}

each_backend! {
    async fn one_bad_row_at_the_end_of_a_large_file_writes_nothing(app) {
        let center = app.center(2, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let r = app.upload(&path, &center.token, "deals.csv", deals_csv(5000, true)).await;
        assert_eq!(r.status(), 422);
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["error"]["code"], "import_rejected");
        let rows = err["error"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["row"], 5001, "the header is row 1");
        assert_eq!(rows[0]["column"], "金额(元)");
        let list: Value = app.get(&format!("/api/v1/centers/{}/transactions", center.id), Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
        assert_eq!(app.audit_count("import.transactions").await, 0);
    }
}

each_backend! {
    async fn every_bad_row_and_column_is_reported(app) {
        let center = app.center(3, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let file = format!(
            "kind,amount,contract_date,patent_numbers,counterparty_uscc,contract_no,related_party,note\n\
             赠与,100,2025-01-01,201710601862.3,{c},A,否,\n\
             transfer,100,2030-01-01,201710601862.4,{c},B,maybe,\n\
             license,100,2025-01-01,201710601862.3,{c},C,是,\n",
            c = uscc(1)
        );
        let err: Value = app.upload(&path, &center.token, "deals.csv", file.into_bytes()).await.json().await.unwrap();
        let rows: Vec<(i64, String)> = err["error"]["rows"].as_array().unwrap().iter().map(|r| (r["row"].as_i64().unwrap(), r["column"].as_str().unwrap().to_string())).collect();
        assert!(rows.contains(&(2, "kind".into())), "{rows:?}");
        assert!(rows.contains(&(3, "related_party".into())), "{rows:?}");
        // the same row's date and patent number in the same answer, not in a later round
        assert!(rows.contains(&(3, "contract_date".into())) && rows.contains(&(3, "patent_numbers".into())), "{rows:?}");
        let unknown = app.upload(&path, &center.token, "deals.csv", "类型,金额(元),合同日期,价格\n许可,1,2025-01-01,2\n".as_bytes().to_vec()).await;
        let err: Value = unknown.json().await.unwrap();
        let columns: Vec<&str> = err["error"]["rows"].as_array().unwrap().iter().map(|r| r["column"].as_str().unwrap()).collect();
        assert!(columns.contains(&"价格") && columns.contains(&"交易对方统一社会信用代码"), "{columns:?}");
        let wrong_type = app.upload(&path, &center.token, "deals.pdf", b"%PDF".to_vec()).await;
        assert_eq!(wrong_type.status(), 422);
    }
}

each_backend! {
    async fn an_xlsx_with_number_and_date_cells_imports(app) {
        let center = app.center(4, "national", "320505").await;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (col, title) in ["类型", "金额(元)", "合同日期", "专利号", "交易对方统一社会信用代码", "是否关联交易"].iter().enumerate() {
            sheet.write_string(0, col as u16, *title).unwrap();
        }
        sheet.write_string(1, 0, "转让").unwrap();
        sheet.write_number(1, 1, 100.0).unwrap();
        sheet.write_datetime_with_format(1, 2, rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 4, 1).unwrap(), &date).unwrap();
        sheet.write_string(1, 3, "201710601862.3").unwrap();
        sheet.write_string(1, 4, uscc(1)).unwrap();
        sheet.write_boolean(1, 5, true).unwrap();
        sheet.write_string(2, 0, "作价入股").unwrap();
        sheet.write_number(2, 1, 2500000.25).unwrap();
        sheet.write_string(2, 2, "2025/4/2").unwrap();
        sheet.write_string(2, 4, uscc(2)).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let r = app.upload(&format!("/api/v1/centers/{}/imports/transactions", center.id), &center.token, "台账.xlsx", bytes).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["operation_amount"], "2500100.25");
        assert_eq!(m["related_party_amount"], "100.00");
    }
}

each_backend! {
    async fn an_exported_file_imports_back(app) {
        let center = app.center(5, "national", "320505").await;
        app.deal(&center, "transfer", "1234567.89", "2025-01-10").await;
        app.deal(&center, "financing", "99.99", "2025-02-10").await;
        let list = format!("/api/v1/centers/{}/transactions", center.id);
        // into another center whole, each format; into its own center never again (one contract, one deal)
        for (n, format) in [(6, "xlsx"), (7, "csv")] {
            let other = app.center(n, "national", "320505").await;
            let bytes = app.get(&format!("{list}?format={format}"), Some(&center.token)).await.bytes().await.unwrap().to_vec();
            let r = app.upload(&format!("/api/v1/centers/{}/imports/transactions", other.id), &other.token, &format!("export.{format}"), bytes.clone()).await;
            assert_eq!(r.status(), 201, "{format}: {}", r.text().await.unwrap());
            assert_eq!(app.metrics(&other, 2025).await["operation_amount"], "1234667.88", "{format}: to the fen");
            let again = app.upload(&format!("/api/v1/centers/{}/imports/transactions", center.id), &center.token, &format!("export.{format}"), bytes).await;
            assert_eq!(again.status(), 422, "{format}: its own deals are not doubled");
        }
        assert_eq!(app.metrics(&center, 2025).await["operation_amount"], "1234667.88");
    }
}

each_backend! {
    async fn members_import_all_or_nothing(app) {
        let center = app.center(6, "national", "320505").await;
        let known = app.organization(60, "research_institute", &[]).await;
        let path = format!("/api/v1/centers/{}/imports/members", center.id);
        let good = format!("统一社会信用代码,机构名称,机构类型,行政区划代码,机构标识,加入日期\n{known},,,,,2024-05-01\n{},新材料小巨人,企业,320506,科技型中小企业；专精特新,2025-01-02\n", uscc(61));
        let r = app.upload(&path, &center.token, "members.csv", good.into_bytes()).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["alliance_counting_members"], 2);
        let again = format!("统一社会信用代码,机构名称,机构类型,行政区划代码\n{},第三家,高校,320506\n{known},,,\n", uscc(62));
        let r = app.upload(&path, &center.token, "members.csv", again.into_bytes()).await;
        assert_eq!(r.status(), 422, "an active member in the file rejects it whole");
        let members: Value = app.get(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token)).await.json().await.unwrap();
        assert_eq!(members["total"], 2);
        let export = app.get(&format!("/api/v1/centers/{}/members?format=xlsx", center.id), Some(&center.token)).await;
        assert_eq!(export.status(), 200);
    }
}
