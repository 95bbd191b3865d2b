"""Column types of the `raw` schema: one table per kind of parsed record.

Every parsed record carries `document_key` and its position (`line_no`, `page`); table records
also carry `table_ordinal` and `row_ordinal`. Money is DECIMAL in 元, never float.
"""

POSITION = [("document_key", "VARCHAR"), ("line_no", "INTEGER"), ("page", "INTEGER")]
MONEY = "DECIMAL(18, 2)"

RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "sources": [
        ("source_name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("province", "VARCHAR"),
        ("prefecture", "VARCHAR"),
        ("county", "VARCHAR"),
        ("location", "VARCHAR"),
    ],
    "fetch_log": [
        ("url", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("bytes", "BIGINT"),
        ("content_type", "VARCHAR"),
        ("fetched_at", "TIMESTAMP"),
        ("source_name", "VARCHAR"),
        ("status", "VARCHAR"),
        ("error", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("sniffed_format", "VARCHAR"),
        ("http_status", "INTEGER"),
        ("final_url", "VARCHAR"),
        ("title", "VARCHAR"),
        ("found_on", "VARCHAR"),
        ("etag", "VARCHAR"),
        ("last_modified", "VARCHAR"),
        ("stored", "BOOLEAN"),
        ("tries", "INTEGER"),
        ("modified_at", "TIMESTAMP"),
    ],
    "documents": [
        *POSITION,
        ("sha256", "VARCHAR"),
        ("source_name", "VARCHAR"),
        ("url", "VARCHAR"),
        ("format", "VARCHAR"),
        ("parser_version", "VARCHAR"),
        ("status", "VARCHAR"),
        ("status_reason", "VARCHAR"),
        ("parsed_at", "TIMESTAMP"),
        ("template", "VARCHAR"),
        ("title", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("level", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("region_text", "VARCHAR"),
        ("department_name", "VARCHAR"),
        ("department_code", "VARCHAR"),
        ("numbers_printed", "INTEGER"),  # figures the document prints (years, list numbers not)
        ("numbers_captured", "INTEGER"),  # of them, held by a record
    ],
    "uncaptured_numbers": [  # a printed figure no record holds (see parse/coverage.py)
        *POSITION,
        ("number_text", "VARCHAR"),
        ("context", "VARCHAR"),  # the text around it
    ],
    "template_blanks": [  # a template blank left unfilled (see parse/blanks.py): XX局, 为 万元
        *POSITION,
        ("ordinal", "INTEGER"),  # in print order within the document
        ("blank", "VARCHAR"),  # the kind: a pattern's name in parse/template_blanks.yaml
        ("blank_text", "VARCHAR"),  # the blank as printed: XX, XXX 万元, 增长%
        ("text", "VARCHAR"),  # the text around it, on the lines it is printed on
        ("expected", "VARCHAR"),  # what belongs there: an amount, a year, a name …
    ],
    "duties": [
        *POSITION,
        ("ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("printed_label", "VARCHAR"),
        ("duty_text", "VARCHAR"),
    ],
    "units": [
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"),
        ("unit_name", "VARCHAR"),
        ("nature", "VARCHAR"),
        ("rank", "VARCHAR"),
        ("funding_form", "VARCHAR"),
    ],
    "stated_amounts": [
        *POSITION,
        ("section", "VARCHAR"),
        ("item", "VARCHAR"),
        ("raw_text", "VARCHAR"),
        ("amount_text", "VARCHAR"),
        ("amount_yuan", MONEY),
        ("reference_year", "INTEGER"),
        # an amount printed without its unit: where the unit was taken from, `sentence` or
        # `paragraph` (the one money unit printed there), or `missing` (amount_yuan NULL);
        # NULL where the unit is printed beside the amount
        ("unit_source", "VARCHAR"),
    ],
    "overall_goals": [
        *POSITION,
        ("ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("goal_text", "VARCHAR"),
    ],
    "project_goals": [
        *POSITION,
        ("ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("project_name", "VARCHAR"),
        ("goal_text", "VARCHAR"),
        ("indicator_text", "VARCHAR"),
    ],
    "performance_tables": [
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("project_name", "VARCHAR"),
        ("goal_text", "VARCHAR"),
        ("goal_line_no", "INTEGER"),
        ("goal_after_header", "BOOLEAN"),
        ("header_rows", "INTEGER"),
        ("indicator_rows", "INTEGER"),
    ],
    "indicators": [
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"),
        ("level1", "VARCHAR"),
        ("level1_printed", "BOOLEAN"),
        ("level2", "VARCHAR"),
        ("level3", "VARCHAR"),
        ("description", "VARCHAR"),
        ("target_text", "VARCHAR"),
        ("comparator", "VARCHAR"),
        ("target_number", "DECIMAL(20, 4)"),
        ("target_unit", "VARCHAR"),
        ("target_is_money", "BOOLEAN"),
        ("parse_status", "VARCHAR"),
        ("parse_note", "VARCHAR"),
        ("basis", "VARCHAR"),
    ],
    "table_rows": [
        *POSITION,
        ("section", "VARCHAR"),
        ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"),
        ("is_header", "BOOLEAN"),
        ("cells", "VARCHAR[]"),
    ],
    "headings": [  # final accounts: contents entries and headings as printed
        *POSITION,
        ("ordinal", "INTEGER"),
        ("kind", "VARCHAR"),  # contents or heading
        ("text", "VARCHAR"),
        ("year", "INTEGER"),  # the year it prints, if any
        ("table_number", "INTEGER"),  # the table it names, if any (the catalog's number)
    ],
    "glossary": [
        *POSITION,
        ("ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("term", "VARCHAR"),
        ("definition", "VARCHAR"),
    ],
    # Template B (Shanghai district budgets), see orchestration/parse/template_b.py.
    "stated_counts": [  # counts stated in the text: projects, units, offices, vehicles, equipment
        *POSITION,
        ("section", "VARCHAR"),
        ("item", "VARCHAR"),
        ("raw_text", "VARCHAR"),
        ("count_text", "VARCHAR"),
        ("count", "INTEGER"),
        ("unit", "VARCHAR"),
        ("as_of", "VARCHAR"),  # 'YYYY-MM-DD' where the text dates the count (截至…)
    ],
    "internal_offices": [  # 内设机构 listed under 机构设置
        *POSITION,
        ("ordinal", "INTEGER"),
        ("parent_name", "VARCHAR"),
        ("office_name", "VARCHAR"),
    ],
    "functional_lines": [  # numbered 功能分类 lines of the 预算编制说明
        *POSITION,
        ("ordinal", "INTEGER"),
        ("printed_number", "INTEGER"),
        ("function_name", "VARCHAR"),  # X（类）Y（款）Z（项） as printed
        ("class_name", "VARCHAR"),
        ("class_code", "VARCHAR"),  # codes only where printed, e.g. （204类）
        ("item_name", "VARCHAR"),
        ("item_code", "VARCHAR"),
        ("subitem_name", "VARCHAR"),
        ("subitem_code", "VARCHAR"),
        ("function_code", "VARCHAR"),
        ("amount_text", "VARCHAR"),
        ("amount_yuan", MONEY),
        ("purpose", "VARCHAR"),  # 主要用于…
        ("prior_year", "INTEGER"),
        ("prior_amount_text", "VARCHAR"),  # …年当年预算执行数为…
        ("prior_amount_yuan", MONEY),
        ("planned_amount_text", "VARCHAR"),  # …年预算安排…
        ("planned_amount_yuan", MONEY),
        ("change_text", "VARCHAR"),  # 增加0.97%
        ("change_percent", "DECIMAL(12, 2)"),  # signed
        ("reason", "VARCHAR"),  # 主要原因是…
        # final accounts (决算) only: the budget the actual (amount_*) is compared with
        ("budget_basis", "VARCHAR"),  # 年初预算 or 全年预算, as printed
        ("budget_text", "VARCHAR"),
        ("budget_yuan", MONEY),
        ("comparison", "VARCHAR"),  # greater / less / equal (大于 / 小于 / 等于, 持平)
        ("comparison_text", "VARCHAR"),  # as printed: 决算数小于全年预算数
        ("execution_percent", "DECIMAL(12, 2)"),  # 完成…预算的98.69% -> 98.69
        ("raw_text", "VARCHAR"),
    ],
    "budget_tables": [  # the nine standard tables, one record per printed title
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("table_number", "INTEGER"),  # 1 财务收支 … 9 三公和机关运行经费 (决算: the same kinds)
        ("title", "VARCHAR"),
        ("unit_text", "VARCHAR"),  # 元 or 万元 as printed
        ("prepared_by", "VARCHAR"),  # 编制部门/编制单位
        ("row_count", "INTEGER"),
        ("note", "VARCHAR"),  # 注:…故本表为空表
        ("printed_number", "INTEGER"),  # final accounts: the table's place in its contents
    ],
    "budget_table_rows": [  # one per printed row (收支总表: one per income/expenditure item)
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"),
        ("table_number", "INTEGER"),
        ("side", "VARCHAR"),  # income / expenditure (tables 1 and 4)
        ("row_kind", "VARCHAR"),  # line / total
        ("level", "INTEGER"),  # codes printed: 1 类, 2 款, 3 项
        ("function_code", "VARCHAR"),  # e.g. 2011301 (tables 2, 3, 5, 6, 7)
        ("economic_code", "VARCHAR"),  # e.g. 30101 (table 8)
        ("class_code", "VARCHAR"),
        ("item_code", "VARCHAR"),
        ("subitem_code", "VARCHAR"),
        ("name", "VARCHAR"),
        ("raw_text", "VARCHAR"),
    ],
    "budget_table_amounts": [  # one per printed amount, under its header column
        *POSITION,
        ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"),
        ("table_number", "INTEGER"),
        ("column_key", "VARCHAR"),  # total, basic, project, personnel, public_expense, …
        ("column_label", "VARCHAR"),  # the header as printed
        ("amount_text", "VARCHAR"),
        ("amount_yuan", MONEY),  # 万元 tables converted to 元
    ],
    "project_pages": [  # 项目经费情况说明, one per project page
        *POSITION,
        ("ordinal", "INTEGER"),
        ("title", "VARCHAR"),
        ("project_name", "VARCHAR"),
        ("overview", "VARCHAR"),
        ("basis", "VARCHAR"),
        ("implementer", "VARCHAR"),
        ("plan", "VARCHAR"),
        ("period", "VARCHAR"),
        ("annual_budget_text", "VARCHAR"),
        ("performance_goal", "VARCHAR"),
        ("annual_budget_amount_text", "VARCHAR"),
        ("annual_budget_yuan", MONEY),
    ],
}
