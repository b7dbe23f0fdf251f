"""The message catalogue: key → (English, Chinese), the same ``{fields}`` in both.

Said through :mod:`models.messages`. Keys are stable (tests and tools may pin them);
the words may be improved freely. Grouped by who says them: what a cell expects,
the workbook's problems, the checks of the school, and the commands.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # A sentence that never had a key (a caller outside this catalogue): said as it was.
    "text": ("{text}", "{text}"),
    "text_pair": ("{first}{second}", "{first}{second}"),
    # --- what a cell should hold (models/time.py, models/cells.py) ----------------------
    "expect.day": ("a day (one of {days})", "星期几（{days} 之一，或 周一 至 周五）"),
    "expect.school_day": ("{expected}; after-school service runs on school days only",
                          "{expected}；课后服务只在上学日进行"),
    "expect.time": ("a time as HH:MM, e.g. 16:40", "HH:MM 格式的时间，如 16:40"),
    "expect.time_of_day": ("a time of day between 00:00 and 23:59",
                           "00:00 至 23:59 之间的时间"),
    "expect.time_not_date": ("a time as HH:MM, e.g. 16:40, not a date",
                             "HH:MM 格式的时间，如 16:40，而不是日期"),
    "expect.slots": ("a slot list such as 'Wed; Mon 2' (days, or a day and period 1 or 2, "
                     "separated by ;)",
                     "时段列表，如 'Wed; Mon 2'（星期几，或星期几加第 1 或 2 节，用 ; 分隔）"),
    "expect.no_such_period": ("{expected}; there is no period {period}",
                              "{expected}；没有第 {period} 节"),
    "expect.days": ("registered days such as 'Mon;Wed;Fri' or 'all' (days are {days})",
                    "报名日，如 'Mon;Wed;Fri' 或 'all'（星期几写作 {days}，或 周一 至 周五）"),
    "expect.grades": ("a grade list such as '1-3', '4,5,6' or '1-3,7' with grades 1-9",
                      "年级列表，如 '1-3'、'4,5,6' 或 '1-3,7'，年级为 1-9"),
    "expect.whole_number": ("a whole number", "整数"),
    "expect.money": ("an amount in yuan, e.g. 120 or 35.5", "以元为单位的金额，如 120 或 35.5"),
    "expect.number": ("a number", "数字"),
    "expect.date": ("a date such as 2026-09-01", "日期，如 2026-09-01"),
    "expect.yes_no": ("yes or no", "yes 或 no（是或否）"),
    "expect.grade": ("a grade from 1 to 9", "1 至 9 的年级"),
    "expect.list_not_date": ("a {kind}, not a date, time or yes/no",
                             "{kind}，而不是日期、时间或是/否"),
    "expect.day_or_all": ("a day (Mon, Tue, Wed, Thu, Fri) or all",
                          "星期几（Mon、Tue、Wed、Thu、Fri）或 all"),
    "expect.category": ("a permitted category; the after-school policy forbids collective "
                        "teaching, supplementary lessons, tutoring, exams and homework "
                        "assignment. Use one of {choices}",
                        "允许的类别；课后服务政策禁止集体授课、补课、辅导、考试和布置作业。"
                        "请使用 {choices} 之一"),
    "expect.one_of": ("one of {choices}", "{choices} 之一"),
    "expect.periods_policy": ("{noun} 1 or 2; the after-school service has at most two class "
                              "hours a day, so more than two periods is not allowed",
                              "{noun}为 1 或 2；课后服务每天最多两课时，不允许超过两节"),
    "noun.period": ("period", "节次"),
    "noun.periods": ("number of periods", "节数"),
    "expect.range_between": ("{noun} from {low} to {high}", "{low} 至 {high} 的{noun}"),
    "expect.range_at_least": ("{noun} of at least {low}", "不小于 {low} 的{noun}"),
    "expect.range_at_most": ("{noun} of at most {high}", "不大于 {high} 的{noun}"),
    "range.money": ("an amount in yuan", "金额（元）"),
    "range.grade": ("a grade", "年级"),
    "range.int": ("a whole number", "整数"),
    "range.number": ("a number", "数字"),
    "expect.with_help": ("{kind} ({help})", "{kind}（{help}）"),
    # The contract's kinds of cell, as a noun ("a whole number") and as a name.
    "kind.id": ("an id", "编号"),
    "kind.text": ("text", "文字"),
    "kind.whole number": ("a whole number", "整数"),
    "kind.amount in yuan": ("an amount in yuan", "以元为单位的金额"),
    "kind.number": ("a number", "数字"),
    "kind.time HH:MM": ("a time as HH:MM", "HH:MM 格式的时间"),
    "kind.date": ("a date such as 2026-09-01", "日期，如 2026-09-01"),
    "kind.yes/no": ("yes or no", "yes 或 no（是或否）"),
    "kind.grade 1-9": ("a grade from 1 to 9", "1 至 9 的年级"),
    "kind.grade list": ("a grade list such as 1-3", "年级列表，如 1-3"),
    "kind.slot list": ("a slot list such as 'Wed; Mon 2'", "时段列表，如 'Wed; Mon 2'"),
    "kind.day list": ("registered days such as 'Mon;Wed;Fri' or all",
                      "报名日，如 'Mon;Wed;Fri' 或 all"),
    "kind.day or all": ("a day (Mon … Fri) or all", "星期几（Mon … Fri）或 all"),
    "kind.one of a list": ("one of a list", "列表中的一项"),
    "kind.comma list": ("a word", "词语"),
    "kindname.id": ("id", "编号"),
    "kindname.text": ("text", "文字"),
    "kindname.whole number": ("whole number", "整数"),
    "kindname.amount in yuan": ("amount in yuan", "金额（元）"),
    "kindname.number": ("number", "数字"),
    "kindname.time HH:MM": ("time HH:MM", "时间 HH:MM"),
    "kindname.date": ("date", "日期"),
    "kindname.yes/no": ("yes/no", "是/否（yes/no）"),
    "kindname.grade 1-9": ("grade 1-9", "年级 1-9"),
    "kindname.grade list": ("grade list", "年级列表"),
    "kindname.slot list": ("slot list", "时段列表"),
    "kindname.day list": ("day list", "星期列表"),
    "kindname.day or all": ("day or all", "星期几或 all"),
    "kindname.one of a list": ("one of a list", "列表中的一项"),
    "kindname.comma list": ("comma list", "逗号分隔的列表"),
    # --- where a problem is (models/problems.py) --------------------------------------
    "level.error": ("error", "错误"),
    "level.warning": ("warning", "警告"),
    "where.row": ("row {row}", "第 {row} 行"),
    "where.column": ("column {column}", "{column} 列"),
    "where.sep": (", ", "，"),
    # --- a file that is no workbook (models/reader.py, models/xlsx_limits.py) ----------
    "file.missing": ("{path} does not exist; expected the path of an Excel .xlsx workbook.",
                     "{path} 不存在；应为 Excel .xlsx 工作簿的路径。"),
    "file.folder": ("{path} is a folder, not an Excel .xlsx workbook.",
                    "{path} 是文件夹，不是 Excel .xlsx 工作簿。"),
    "file.empty": ("{name} is empty (0 bytes); expected an Excel .xlsx workbook.",
                   "{name} 是空文件（0 字节）；应为 Excel .xlsx 工作簿。"),
    "file.xls": ("{name} is an old Excel 97-2003 (.xls) file or is password-protected; open it "
                 "in Excel or WPS and save it as an .xlsx workbook without a password.",
                 "{name} 是旧版 Excel 97-2003（.xls）文件或设有密码；请在 Excel 或 WPS 中打开，"
                 "另存为不设密码的 .xlsx 工作簿。"),
    "file.incomplete_zip": ("{name} is a damaged or incomplete zip file, not a readable Excel "
                            ".xlsx workbook; copy it again or save it again from Excel or WPS.",
                            "{name} 是损坏或不完整的压缩文件，无法作为 Excel .xlsx 工作簿读取；"
                            "请重新复制，或在 Excel 或 WPS 中重新保存。"),
    "file.not_zip": ("{name} is not an Excel .xlsx workbook (it looks like text or another "
                     "format, such as a CSV file renamed); save it from Excel or WPS as .xlsx.",
                     "{name} 不是 Excel .xlsx 工作簿（看起来是文本或其他格式，例如改了扩展名的 "
                     "CSV 文件）；请在 Excel 或 WPS 中另存为 .xlsx。"),
    "file.damaged_zip": ("{name} is a damaged zip file, not a readable Excel .xlsx workbook; "
                         "save it again from Excel or WPS.",
                         "{name} 是损坏的压缩文件，无法作为 Excel .xlsx 工作簿读取；"
                         "请在 Excel 或 WPS 中重新保存。"),
    "file.kind.word": ("a Word document", "Word 文档"),
    "file.kind.powerpoint": ("a PowerPoint presentation", "PowerPoint 演示文稿"),
    "file.kind.ods": ("an OpenDocument (WPS/LibreOffice .ods) file",
                      "OpenDocument（WPS/LibreOffice .ods）文件"),
    "file.kind.zip": ("a zip file", "压缩文件"),
    "file.other_zip": ("{name} is {kind}, not an Excel .xlsx workbook; save the school's data "
                       "from Excel or WPS as .xlsx.",
                       "{name} 是{kind}，不是 Excel .xlsx 工作簿；请在 Excel 或 WPS 中将学校数据"
                       "另存为 .xlsx。"),
    "file.unopenable": ("{path} could not be opened: {reason}.", "无法打开 {path}：{reason}。"),
    "file.not_a_workbook": ("{name} could not be opened as an Excel workbook; it may be damaged "
                            "({reason}); save it again from Excel or WPS as .xlsx.",
                            "{name} 无法作为 Excel 工作簿打开，可能已损坏（{reason}）；"
                            "请在 Excel 或 WPS 中另存为 .xlsx。"),
    "file.part_too_big": ("{name} was not read: its part {part} would inflate to {size}, more "
                          "than the {limit} a school workbook could need. Open it in Excel or "
                          "WPS, delete what fills that sheet beyond the school's rows, and save "
                          "it again.",
                          "未读取 {name}：其中的 {part} 解压后达 {size}，超过学校工作簿可能需要的 "
                          "{limit}。请在 Excel 或 WPS 中打开，删除学校数据行以外填充该表的内容，"
                          "再重新保存。"),
    "file.part_ratio": ("{name} was not read: its part {part} would inflate from {packed} to "
                        "{size} ({ratio} times), which only filler does; a school's data "
                        "inflates far less. Open it in Excel or WPS, delete what fills that "
                        "sheet beyond the school's rows, and save it again.",
                        "未读取 {name}：其中的 {part} 会从 {packed} 解压到 {size}（{ratio} 倍），"
                        "只有填充内容才会如此，学校数据远不至此。请在 Excel 或 WPS 中打开，"
                        "删除学校数据行以外填充该表的内容，再重新保存。"),
    "file.too_big": ("{name} was not read: its parts would inflate to {size} in all, more than "
                     "the {limit} a school workbook could need. Save the school's sheets alone "
                     "in a new workbook.",
                     "未读取 {name}：解压后共达 {size}，超过学校工作簿可能需要的 {limit}。"
                     "请将学校的各表单独保存到新工作簿。"),
    # --- sheets and columns (models/reader.py) -----------------------------------------
    "sheet.twice": ("two sheets are named like this ('{first}' and '{second}'); expected one, "
                    "the first is read",
                    "有两个同名的工作表（'{first}' 和 '{second}'）；应只有一个，读取第一个"),
    "sheet.missing": ("sheet '{sheet}' is missing; expected a sheet with columns {columns} "
                      "(see `schedule template`)",
                      "缺少工作表 '{sheet}'；应有一个含 {columns} 等列的工作表"
                      "（参见 `schedule template`）"),
    "sheet.missing_near": ("sheet '{sheet}' is missing; expected a sheet with columns "
                           "{columns} (see `schedule template`); the workbook has a sheet "
                           "{near}: rename it '{sheet}' if it is this one",
                           "缺少工作表 '{sheet}'；应有一个含 {columns} 等列的工作表"
                           "（参见 `schedule template`）；工作簿中有工作表 {near}：若就是它，"
                           "请改名为 '{sheet}'"),
    "sheet.row_too_wide": ("sheet '{sheet}' has a row of more than {cells} cells, more than "
                           "Excel allows; the file was not written by Excel or WPS. Save the "
                           "school's rows in a new workbook.",
                           "工作表 '{sheet}' 有一行超过 {cells} 个单元格，超出 Excel 的上限；"
                           "该文件并非由 Excel 或 WPS 保存。请把学校数据保存到新工作簿。"),
    "sheet.damaged": ("sheet '{sheet}' could not be read after row {row}; the file may be "
                      "damaged ({reason}); save it again from Excel or WPS as .xlsx.",
                      "工作表 '{sheet}' 第 {row} 行之后无法读取，文件可能已损坏（{reason}）；"
                      "请在 Excel 或 WPS 中另存为 .xlsx。"),
    "sheet.too_many_rows": ("sheet '{sheet}' has more than {rows} rows of data (row {row} is "
                            "one); a school's sheet holds far fewer. Delete what is not the "
                            "school's and save it again.",
                            "工作表 '{sheet}' 的数据超过 {rows} 行（第 {row} 行即是）；学校的表"
                            "远没有这么多行。请删除不属于学校的内容后重新保存。"),
    "sheet.empty": ("the sheet is empty; expected a header row naming the columns {columns}, "
                    "and a row below it for each entry",
                    "工作表为空；应有一行表头，列出 {columns} 等列，其下每项一行"),
    "column.twice": ("column '{column}' appears twice; expected it once (the first is read)",
                     "列 '{column}' 出现了两次；应只出现一次（读取第一个）"),
    "column.missing": ("required column '{column}' is missing from the header row; expected a "
                       "column named {column} ({help})",
                       "表头缺少必填列 '{column}'；应有名为 {column} 的列（{help}）"),
    "column.ignored": ("{why}; its values (rows {rows}) are ignored",
                       "{why}；该列的值（第 {rows} 行）被忽略"),
    "column.choice6": ("column '{column}' is not read: a student has at most five choices, "
                       "choice1 to choice5",
                       "不读取列 '{column}'：每名学生最多五个志愿，choice1 至 choice5"),
    "column.lookalike": ("column '{column}' is not a column of this sheet and is not read; did "
                         "you mean '{meant}'? Without it {means}",
                         "列 '{column}' 不是本表的列，不会读取；是否想写 '{meant}'？"
                         "缺少该列时{means}"),
    "column.absent_blank": ("every row's {column} is blank", "每行的 {column} 均为空"),
    "column.absent_default": ("every row's {column} is the default {default}",
                              "每行的 {column} 均取默认值 {default}"),
    "settings.unknown_key": ("unknown key, not used; expected one of {keys}{hint}",
                             "未知的设置项，不会使用；应为 {keys} 之一{hint}"),
    "settings.key_twice": ("key '{key}' appears twice (also row {row}); expected it once, the "
                           "first is used",
                           "设置项 '{key}' 出现了两次（另见第 {row} 行）；应只出现一次，"
                           "使用第一个"),
    "hint.did_you_mean": (" (did you mean '{candidate}'?)", "（是否想写 '{candidate}'？）"),
    # --- one cell (models/reader.py) ---------------------------------------------------
    "cell.of_key": ("{key}: {said}", "{key}：{said}"),
    "cell.too_long": ("the cell holds {length} characters, more than the {most} Excel allows in "
                      "a cell; expected {expected}",
                      "单元格有 {length} 个字符，超过 Excel 单元格上限 {most}；应为{expected}"),
    "cell.required": ("a value is required; expected {expected}", "必须填写；应为{expected}"),
    "cell.excel_error": ("the cell shows the Excel error {error} (a formula that failed); "
                         "expected {expected}",
                         "单元格显示 Excel 错误 {error}（公式计算失败）；应为{expected}"),
    "cell.expected": ("expected {expected}", "应为{expected}"),
    "cell.fractions_of_a_fen": ("the amount has fractions of a fen; read as {yuan} yuan "
                                "(rounded half up to the fen). Expected yuan with at most two "
                                "decimals",
                                "金额精确到分以下；按 {yuan} 元读取（四舍五入到分）。"
                                "金额最多保留两位小数"),
    "cell.formula": ("formula with no saved value — open and save the file in Excel, or type "
                     "the value",
                     "公式没有保存计算结果——请在 Excel 中打开并保存该文件，或直接填写数值"),
    "cell.formula_required": ("{formula}; expected {expected}", "{formula}；应为{expected}"),
    "cell.formula_blank": ("{formula}; read as blank, so {means}",
                           "{formula}；按空白读取，因此{means}"),
    "blank.student_name": ("the prints show the student's id instead",
                           "打印件改为显示学生的学号"),
    "blank.empty": ("the cell counts as empty", "该单元格视为空"),
    "blank.default": ("the default {default} applies", "采用默认值 {default}"),
    # --- the School sheet and rows (models/reader.py) ----------------------------------
    "school.value_without_key": ("a value without a key, ignored; expected a key such as "
                                 "{keys}",
                                 "有值但没有设置项名称，已忽略；应填写设置项，如 {keys}"),
    "school.unknown_key": ("unknown key, ignored; expected one of {keys}",
                           "未知的设置项，已忽略；应为 {keys} 之一"),
    "school.key_twice": ("key '{key}' appears twice (also row {row}); expected it once",
                         "设置项 '{key}' 出现了两次（另见第 {row} 行）；应只出现一次"),
    "school.key_missing": ("key '{key}' is missing; expected a row with key {key} and its value "
                           "({help})",
                           "缺少设置项 '{key}'；应有一行，设置项为 {key}，并填写其值（{help}）"),
    "school.invalid": ("{reason}; expected the settings of the contract",
                       "{reason}；应按工作簿约定填写设置"),
    "row.duplicate_id": ("duplicate id; '{id}' is already used on row {row}; expected each id "
                         "once",
                         "编号重复；'{id}' 已在第 {row} 行使用；每个编号只能出现一次"),
    "student.no_name": ("the student has no name; the prints show the id instead. Expected the "
                        "student's name",
                        "该学生没有姓名；打印件改为显示学号。应填写学生姓名"),
    "student.choice_gap": ("choice{rank} is blank, so this choice counts as the student's "
                           "choice {rank} (and any after it moves up too). Expected choices "
                           "from choice1 on, without gaps",
                           "choice{rank} 为空，因此此志愿算作该生的第 {rank} 志愿（其后的志愿"
                           "也依次前移）。志愿应从 choice1 起连续填写"),
    "period.ends_before_start": ("the period ends before it starts; expected an end later than "
                                 "the start",
                                 "该节次结束早于开始；结束时间应晚于开始时间"),
    "activity.max_below_min": ("max_size {max_size} is below min_size {min_size}; expected "
                               "max_size of at least min_size",
                               "max_size {max_size} 小于 min_size {min_size}；max_size 应不小于 "
                               "min_size"),
    # --- the school as a whole (models/validate.py) --------------------------------------
    "school.term_end_first": ("term_end is before term_start {start}; expected the term's last "
                              "day, on or after its first day",
                              "term_end 早于 term_start {start}；应为学期最后一天，不早于第一天"),
    "school.latest_end_late": ("latest_end {latest} is after 18:00; the policy ends "
                               "after-school service by 18:00, so sessions may now end up to "
                               "{latest}. Expected 18:00 or earlier",
                               "latest_end {latest} 晚于 18:00；政策规定课后服务 18:00 前结束，"
                               "现在活动可能到 {latest} 才结束。应为 18:00 或更早"),
    "staff.teacher_load": ("in-service teacher may do {hours} after-school class hours a week, "
                           "above the default of {default}; the schedule may use them all. "
                           "Expected at most {default} unless the teacher agreed",
                           "在职教师每周可上 {hours} 节课后服务，高于默认的 {default} 节；"
                           "方案可能全部用满。除非教师本人同意，应不超过 {default} 节"),
    "student.priority_levels": ("{count} different priority values; the goals tell {levels} "
                                "apart, so priorities {merged} count as one (the highest) for "
                                "the students on rows {rows}. Expected at most {levels} "
                                "different values",
                                "共有 {count} 种优先级；优化目标只区分 {levels} 种，因此优先级 "
                                "{merged} 视为同一级（最高），涉及第 {rows} 行的学生。"
                                "优先级最多 {levels} 种"),
    "rows.none_read": ("(none read)", "（未读取到）"),
    "row.look_alike_id": ("id '{id}' looks like '{other}' (row {row}) but is a different id: "
                          "they differ only in case, full-width characters or spaces. Expected "
                          "one id written one way, or ids that differ plainly",
                          "编号 '{id}' 看起来与 '{other}'（第 {row} 行）相同，却是不同的编号："
                          "只差在大小写、全角字符或空格。同一编号应写法一致，不同编号应明显不同"),
    "staff.skill_spelling": ("skill '{skill}' is written otherwise than the activities' skill "
                             "'{wanted}', so this person never staffs them. Expected '{wanted}'",
                             "技能 '{skill}' 与活动要求的技能 '{wanted}' 写法不同，"
                             "因此此人不会被安排到这些活动。应写作 '{wanted}'"),
    "room.type_spelling": ("type '{type}' is written otherwise than the activities' room_type "
                           "'{wanted}', so this room never holds them. Expected '{wanted}'",
                           "类型 '{type}' 与活动的 room_type '{wanted}' 写法不同，"
                           "因此这些活动不会安排在此场地。应写作 '{wanted}'"),
    # --- periods (models/validate.py) ---------------------------------------------------
    "period.after_latest_end": ("ends after latest_end {latest}; expected an end no later than "
                                "{latest} (the policy ends after-school service by 18:00)",
                                "结束时间晚于 latest_end {latest}；应不晚于 {latest}"
                                "（政策规定课后服务 18:00 前结束）"),
    "days.all": ("all days", "每天"),
    "days.every": ("every day", "每天"),
    "period.twice": ("grade {grade} already has period {period} on {day} (row {row}); expected "
                     "one row per grade, day and period",
                     "{grade}年级在 {day} 已有第 {period} 节（第 {row} 行）；"
                     "每个年级、每天、每节只能有一行"),
    "period.overlap": ("period 2 starts at {start}, before period 1 ends at {end} (grades "
                       "{grades} on {days}, period 1 on row {row}); expected period 2 to start "
                       "no earlier than period 1 ends",
                       "第 2 节 {start} 开始，早于第 1 节结束的 {end}（年级 {grades}，{days}，"
                       "第 1 节在第 {row} 行）；第 2 节应在第 1 节结束后开始"),
    "period.second_alone": ("grades {grades} have period 2 on {days} but no period 1; expected "
                            "a period 1 row for them",
                            "年级 {grades} 在 {days} 有第 2 节却没有第 1 节；"
                            "应为其添加第 1 节的行"),
    "period.on_days": ("period {period} on {days}", "{days}的第 {period} 节"),
    "student.at_row": ("Students row {row}", "Students 第 {row} 行"),
    "student.with_id": ("id {id}", "学号 {id}"),
    "period.missing_for_grade": ("grade {grade} has registered students but no {gaps} (first "
                                 "such student: {first}); expected a Periods row for grade "
                                 "{grade} on every day its students register, and period 2 "
                                 "where they stay",
                                 "{grade}年级有报名学生，却没有{gaps}（第一名这样的学生：{first}）；"
                                 "{grade}年级学生报名的每一天都应有 Periods 行，"
                                 "留两节的还应有第 2 节"),
    # --- activities (models/validate.py) -----------------------------------------------
    "activity.unknown_vendor": ("unknown vendor; expected 'school' or an id from the Vendors "
                                "sheet{hint}",
                                "未知的机构；应为 'school' 或 Vendors 表中的编号{hint}"),
    "hint.exact_id": (" (did you mean '{candidate}'? ids must match exactly)",
                      "（是否想写 '{candidate}'？编号须完全一致）"),
    "activity.study_per_head": ("supervised study is where every unplaced child goes, so it "
                                "cannot charge per head; expected fee_per_student 0 for a study "
                                "activity (use fee_per_session for its cost)",
                                "托管自习接收所有未安排活动的学生，不能按人头计费；自习活动的 "
                                "fee_per_student 应为 0（费用请填在 fee_per_session）"),
    "activity.study_one_hour": ("study is placed one class hour at a time; expected periods 1 "
                                "and sessions_per_week 1 for a study activity",
                                "自习按每一课时安排；自习活动的 periods 应为 1，"
                                "sessions_per_week 应为 1"),
    "activity.cannot_open": ("activity '{name}' cannot open: {why}",
                             "活动 '{name}' 无法开设：{why}"),
    "activity.never_opens": ("so it cannot open at all", "因此完全无法开设"),
    "activity.never_used": ("those are never used", "这些时段不会被使用"),
    "activity.days_without_periods": ("days lists {slots}, but no Periods row gives grades "
                                      "{grades} a period there; {left}. Expected days on which "
                                      "the activity's grades have their periods",
                                      "days 列出了 {slots}，但 Periods 表中年级 {grades} 在这些"
                                      "时段没有课；{left}。应填写活动所面向年级有课的日子"),
    "why.no_room": ("no room of type '{type}'; expected a Rooms row of that type",
                    "没有类型为 '{type}' 的场地；Rooms 表中应有该类型的场地"),
    "why.vendor_may_not": ("vendor '{vendor}' may not serve this term (expected qualified = yes "
                           "and contract_until on or after term_end)",
                           "机构 '{vendor}' 本学期不能提供服务（应 qualified = yes，且 "
                           "contract_until 不早于 term_end）"),
    "why.no_instructor": ("vendor '{vendor}' has no instructor who may serve; expected a Staff "
                          "row with role vendor_instructor, vendor {id}, vetted through "
                          "term_end",
                          "机构 '{vendor}' 没有可以任职的教师；Staff 表中应有 role 为 "
                          "vendor_instructor、vendor 为 {id}、背景审查有效至 term_end 的人员"),
    "need.skill": ("skill '{skill}'", "技能 '{skill}'"),
    "need.provider_staff": ("the provider's staff", "提供方的人员资格"),
    "why.too_few_staff": ("expected {staff} staff with {need} who may serve, but {able} may",
                          "需要 {staff} 名具备{need}且可任职的人员，但只有 {able} 名"),
    "activity.no_study": ("no study activity for grade(s) {grades}; every registered student "
                          "who is not in a chosen activity goes to supervised study, so expected "
                          "an activity with category study for them",
                          "年级 {grades} 没有自习活动；未安排到所选活动的报名学生都去托管自习，"
                          "因此应为他们设置 category 为 study 的活动"),
    # --- staff and vendors (models/validate.py) -----------------------------------------
    "staff.unknown_vendor": ("unknown vendor; expected an id from the Vendors sheet{hint}",
                             "未知的机构；应为 Vendors 表中的编号{hint}"),
    "staff.instructor_without_vendor": ("a vendor instructor needs the vendor they work for; "
                                        "expected a vendor id from the Vendors sheet",
                                        "机构教师须填写所属机构；应为 Vendors 表中的机构编号"),
    "staff.vendor_not_instructor": ("vendor is read for vendor instructors only; ignored, so "
                                    "this {role} never staffs the vendor's activities. Expected "
                                    "role vendor_instructor, or vendor blank",
                                    "vendor 只对机构教师有效；已忽略，因此这位{role}不会带该机构的"
                                    "活动。role 应为 vendor_instructor，或 vendor 留空"),
    "staff.affiliated": ("in-service teacher affiliated with a social institution may not serve "
                         "(policy 5(1)); left out. Expected affiliated_vendor blank for a "
                         "teacher who serves",
                         "在校外机构兼职的在职教师不得任职（政策第五条第一款）；未予安排。"
                         "任职教师的 affiliated_vendor 应为空"),
    "staff.not_vetted": ("{role} without a background check may not serve; left out. Expected "
                         "vetted = yes for everyone but in-service teachers",
                         "未经背景审查的{role}不得任职；未予安排。除在职教师外，"
                         "所有人都应 vetted = yes"),
    "staff.vetted_no_end": ("{role}'s background check has no end date; left out. Expected "
                            "vetted_until on or after term_end {term_end}",
                            "该{role}的背景审查没有截止日期；未予安排。vetted_until 应不早于 "
                            "term_end {term_end}"),
    "staff.vetted_expires": ("background check valid until {until}, before term_end {term_end}; "
                             "left out. Expected vetted_until on or after {term_end}",
                             "背景审查有效期至 {until}，早于 term_end {term_end}；未予安排。"
                             "vetted_until 应不早于 {term_end}"),
    "role.teacher": ("teacher", "在职教师"),
    "role.retired_teacher": ("retired teacher", "退休教师"),
    "role.volunteer": ("volunteer", "志愿者"),
    "role.parent": ("parent", "家长"),
    "role.vendor_instructor": ("vendor instructor", "机构教师"),
    "role.professional": ("professional", "专业人士"),
    "vendor.not_qualified": ("vendor has activities but has not passed the school's selection; "
                             "its activities cannot open. Expected qualified = yes",
                             "该机构有活动，但未通过学校遴选，其活动无法开设。应 qualified = yes"),
    "vendor.no_contract_end": ("vendor has activities but no contract end date; its activities "
                               "cannot open. Expected contract_until on or after term_end "
                               "{term_end}",
                               "该机构有活动，但没有合同截止日期，其活动无法开设。contract_until "
                               "应不早于 term_end {term_end}"),
    "vendor.contract_ends": ("contract ends {until}, before term_end {term_end}; its activities "
                             "cannot open. Expected contract_until on or after {term_end}",
                             "合同 {until} 到期，早于 term_end {term_end}，其活动无法开设。"
                             "contract_until 应不早于 {term_end}"),
    # --- students (models/validate.py) ---------------------------------------------------
    "student.unknown_activity": ("unknown activity; expected an id from the Activities "
                                 "sheet{hint}",
                                 "未知的活动；应为 Activities 表中的编号{hint}"),
    "student.chose_study": ("study is not chosen (every unplaced student goes to study); choice "
                            "ignored. Expected a club, sport or other activity",
                            "自习不是可选的志愿（未安排活动的学生都去自习）；已忽略该志愿。"
                            "应选择社团、体育或其他活动"),
    "student.wrong_grade": ("grade {grade} may not join '{activity}' (expected grades "
                            "{grades}); choice ignored",
                            "{grade}年级不能参加 '{activity}'（面向年级 {grades}）；已忽略该志愿"),
    "student.chosen_twice": ("the same activity is chosen twice; the later choice is ignored. "
                             "Expected different activities",
                             "同一活动选了两次；忽略后一个志愿。应选择不同的活动"),
    "student.choices_unregistered": ("choices listed but no registered days (blank days: not "
                                     "registered), so the student is not scheduled and the "
                                     "choices are ignored. Expected the days the student stays, "
                                     "or no choices",
                                     "填了志愿却没有报名日（days 为空表示未报名），"
                                     "因此不为该生安排，"
                                     "志愿被忽略。应填写学生留校的日子，或不填志愿"),
    "student.no_choices": ("registered but no choices listed; the student goes to supervised "
                           "study. Expected at least choice1 (or wants 0)",
                           "已报名但没有填志愿；该生参加托管自习。"
                           "至少应填 choice1（或 wants 为 0）"),
    # --- why no schedule can exist (optimizer/search/diagnose.py) -----------------------
    "diagnose.where": ("{day} {start}–{end}: {staying} registered grade {grades} students",
                       "{day} {start}–{end}：{grades}年级有 {staying} 名报名学生"),
    "diagnose.no_study": ("{where} but no study activity may meet then",
                          "{where}，但此时没有可以上课的自习活动"),
    "diagnose.study_seats": ("{where}; at least {must_study} must be in supervised study but "
                             "the free study rooms ({rooms}) hold {seats}",
                             "{where}；至少 {must_study} 人须参加托管自习，但空闲的自习场地"
                             "（{rooms} 间）只能容纳 {seats} 人"),
    "diagnose.supervisors": ("{where}: at least {needed} study supervisors are needed but only "
                             "{supervisors} staff may supervise then",
                             "{where}：至少需要 {needed} 名自习看护人员，但此时只有 "
                             "{supervisors} 人可以看护"),
    "diagnose.people_hours": ("every registered child is with a supervisor or instructor at "
                              "every class hour they stay: even with every section and study "
                              "group full, that takes at least {need} staff class hours a "
                              "week, but the staff may give at most {supply} (Staff: "
                              "max_periods_week, max_periods_day)",
                              "每名登记学生在其留校的每节课都须有看护或授课人员：即使每个"
                              "课程班和自习组都满员，每周也至少需要 {need} 个人员课时，但人员"
                              "最多只能提供 {supply} 个（人员表：max_periods_week、"
                              "max_periods_day）"),
    "diagnose.weekly_hours": ("supervised study needs at least {need} staff class hours a week "
                              "but school staff may give at most {supply}",
                              "托管自习每周至少需要 {need} 个人员课时，但校内人员最多只能提供 "
                              "{supply} 个"),
    "diagnose.proven_infeasible": ("CP-SAT proved that no schedule keeps every rule, though the "
                                   "capacity pre-checks passed; look at staff limits and "
                                   "availability, room availability, sessions_per_week against "
                                   "registered days, and the budget",
                                   "CP-SAT 证明没有任何方案能满足全部规则，尽管容量预检已通过；"
                                   "请检查人员的课时上限与可用时间、场地可用时间、"
                                   "sessions_per_week 与报名日是否相符，以及经费"),
    # --- the commands (optimizer/commands/) -------------------------------------------
    "cli.interrupted": ("Interrupted; nothing was written.", "已中断；没有写入任何文件。"),
    "cli.interrupted_before_schedule": ("Interrupted before the first schedule was found; "
                                        "nothing was written.",
                                        "在找到第一个方案之前已中断；没有写入任何文件。"),
    "cli.crash": ("error: something unexpected stopped the command ({kind}); this is a bug of "
                  "ours: {where}.",
                  "错误：命令因意外情况中止（{kind}）；这是本程序的缺陷：{where}。"),
    "cli.crash_log": ("details are in {log}; please send that file with your report",
                      "详情见 {log}；报告问题时请附上该文件"),
    "cli.crash_no_log": ("no log could be written", "无法写入日志"),
    "cli.error": ("error: {text}", "错误：{text}"),
    "cli.note": ("note: {text}", "提示：{text}"),
    "why.feasible": ("A schedule keeps every rule, so there is nothing to explain; "
                     "`schedule solve` finds the best one.",
                     "存在满足全部规则的方案，无需说明；`schedule solve` 会找出最好的方案。"),
    "why.precheck_close": ("Change the staff, rooms or study settings these lines name and try "
                           "again.", "请修改上面各行所指的人员、场地或托管设置后重试。"),
    "why.unquestioned": ("Even with staff members' max_periods_day and max_periods_week, the "
                         "number of rooms of each kind, study_ratio, activities' min_size and "
                         "max_sections, vendors' max_sessions_week and the budget all relaxed, "
                         "no schedule exists: look at the unavailable columns of Staff and "
                         "Rooms, skills, room types and capacities, and the Periods sheet "
                         "against registered days.",
                         "即使放宽人员的 max_periods_day 和 max_periods_week、各类场地数量、"
                         "study_ratio、活动的 min_size 和 max_sections、机构的 max_sessions_week "
                         "以及经费，仍没有可行方案：请检查 Staff 和 Rooms 的 unavailable 列、"
                         "技能、场地类型与容量，以及 Periods 工作表与学生报名日是否相符。"),
    "why.undecided": ("No answer within the time given; try a longer --time-limit.",
                      "在给定时间内没有得出结论；请加长 --time-limit 再试。"),
    "why.header_many": ("These {count} facts cannot all hold, even with every other limit "
                        "relaxed; without any one of them the others can:",
                        "即使放宽其他所有限制，以下 {count} 项条件也无法同时满足；去掉其中任何"
                        "一项，其余各项即可满足："),
    "why.header_one": ("This fact cannot hold, even with every other limit relaxed:",
                       "即使放宽其他所有限制，以下条件也无法满足："),
    "why.not_minimal": (" (some checks ran out of time: the set may not be the smallest)",
                        "（部分检查超时：这组条件未必最少）"),
    "why.close_many": ("Change one of these cells and solve again; another conflict may then "
                       "show.", "请修改其中一个单元格后重新求解；之后可能还会出现其他冲突。"),
    "why.close_one": ("Change this cell and solve again.", "请修改此单元格后重新求解。"),
    "why.cause": ("  {where} — {asks}", "  {where}——{asks}"),
    "why.more": ("  … and {rest} more", "  ……另有 {rest} 项"),
    "why.summed": ("Summed over the week: {line}", "按全周合计：{line}"),
    "why.row": (" row {rows}", "第 {rows} 行"),
    "why.rows": (" rows {rows}", "第 {rows} 行"),
    "why.at_school": ("School{row}: {column} {value}", "School 工作表{row}：{column} {value}"),
    "why.at_rooms": ("Rooms{where} ({ids}): {count} of type {type}",
                     "Rooms 工作表{where}（{ids}）：{type} 类型共 {count} 间"),
    "why.at_sheet": ("{sheet}{where} ({ids}): {column} {value}",
                     "{sheet} 工作表{where}（{ids}）：{column} {value}"),
    "why.grouped": (" (a line that names several rows of one column counts as one fact: "
                    "with all of them raised the others can hold)",
                    "（一行列出同一列的多行时算作一项：这些行一起放宽，其余各项即可满足）"),
    "why.ask_together": ("these {count} together: with all of them raised the rest can "
                         "hold; whether each one alone is needed was not decided in time",
                         "这 {count} 项合在一起：全部放宽后其余各项即可满足；是否每一项都必须"
                         "放宽，未能在时限内判定"),
    "why.ask_unknown": ("part of the conflict (measuring by how much ran out of time)",
                        "属于冲突的一部分（衡量差距时超时）"),
    "why.ask_found": ("{said}; that much is proven, and the closest schedule found in time "
                      "needs {more}", "{said}；以上已证明，时限内找到的最接近方案需要 {more}"),
    "why.yuan": ("{amount} yuan", "{amount} 元"),
    "why.eg": (" (e.g. {at})", "（例如 {at}）"),
    "why.when": ("{day} {time}", "{day} {time}"),
    "why.when_study": ("{day} {start}–{end}, grade {grades}", "{day} {start}–{end}，{grades} 年级"),
    "why.study_example": ("; e.g. {at}: {children} children in study, {supervisors} supervising "
                          "them, {free} staff may supervise then",
                          "；例如 {at}：{children} 名学生参加托管，{supervisors} 人看管，"
                          "当时可看管的人员有 {free} 人"),
    "why.child": ("{count} child", "{count} 名学生"),
    "why.children": ("{count} children", "{count} 名学生"),
    "why.ask_study": ("at least {children} more would be in study than {limit} per supervisor "
                      "allows{example}",
                      "参加托管的学生至少比每名看管人员 {limit} 人的比例所允许的多 "
                      "{children}{example}"),
    "why.ask_room": ("at least {more} more room of this type would be needed at once{eg}",
                     "同一时间至少还需要 {more} 间此类型场地{eg}"),
    "why.ask_rooms": ("at least {more} more rooms of this type would be needed at once{eg}",
                      "同一时间至少还需要 {more} 间此类型场地{eg}"),
    "why.ask_day": ("needs at least {hours} class hours of them on one day{eg}",
                    "某一天至少需要其 {hours} 个课时{eg}"),
    "why.ask_week": ("needs at least {hours} class hours of them a week",
                     "每周至少需要其 {hours} 个课时"),
    "why.ask_min_size": ("a section would be at least {children} short of it{eg}",
                         "某个班组至少还差 {children}{eg}"),
    "why.ask_sections": ("needs at least {sections} sections", "至少需要 {sections} 个班组"),
    "why.ask_sessions": ("needs at least {sessions} sessions a week",
                         "每周至少需要 {sessions} 次课"),
    "why.ask_budget": ("the cheapest schedule costs at least {need} yuan a term, {more} more "
                       "than the {budget} it allows ({enrolled} enrolled × "
                       "budget_per_student_year ÷ {terms} terms); that needs "
                       "budget_per_student_year {per_student} or more",
                       "最省的方案每学期至少需要 {need} 元，比允许的 {budget} 元多 {more} 元"
                       "（在校 {enrolled} 人 × budget_per_student_year ÷ 每年 {terms} 个学期）；"
                       "需要 budget_per_student_year 不少于 {per_student}"),
    "explain.school_without_student": ("error: --school goes with --student ID; to explain a "
                                       "school, give its workbook alone.",
                                       "错误：--school 须与 --student 编号 一起使用；要说明一所"
                                       "学校，只给出它的工作簿即可。"),
    "explain.student_without_school": ("error: --student needs --school SCHOOL.xlsx, the "
                                       "school workbook the schedule was made for.",
                                       "错误：--student 需要 --school 学校.xlsx，即该方案所依据的"
                                       "学校工作簿。"),
    "explain.start": ("{school}: is there a schedule, and if not, why? Up to {limit}s …",
                      "{school}：是否存在可行方案？若不存在，原因何在？最多 {limit} 秒……"),
    "explain.solves": ("({solves} solves, {seconds}s)", "（求解 {solves} 次，{seconds} 秒）"),
    "explain.looking": ("No schedule keeps every rule; looking for why, up to {limit}s …",
                        "没有方案能满足全部规则；正在查找原因，最多 {limit} 秒……"),
    "advise.progress.baseline": ("solving the school as it is", "正在按学校现状求解"),
    "advise.progress.trying": ("trying {number}: {name}", "正在尝试第 {number} 项：{name}"),
    "advise.start": ("{school}: {registered} registered students; seed {seed}; up to "
                     "{candidates} changes, {limit} units a solve",
                     "{school}：已报名 {registered} 人；种子 {seed}；最多尝试 {candidates} 项调整，"
                     "每次求解 {limit} 个单位"),
    "advise.progress": ("  {text} …", "  {text}……"),
    "advise.no_baseline": ("No schedule for the school as it is, so nothing to compare changes "
                           "with; run `schedule solve` to see why. Nothing was written.",
                           "学校现状下没有可行方案，无从比较各项调整；请运行 `schedule solve` "
                           "查看原因。未写出任何文件。"),
    "advise.all_first": ("Every child with a choice has their first; nothing was written.",
                         "所有填报志愿的学生均已获得第一志愿；未写出任何文件。"),
    "advise.nothing_to_try": ("No limit a change can lift holds the children back, so no "
                              "change was tried; nothing was written.",
                              "没有可通过调整解除的限制，因此未尝试任何调整；未写出任何文件。"),
    "advise.then_write": ("; add -o advice.xlsx to write them for `schedule sweep --scenarios`",
                          "；加 -o 建议.xlsx 可写出供 `schedule sweep` 的情景参数使用"),
    "advise.then_wrote": ("; wrote {path}, which `schedule sweep --scenarios` solves again",
                          "；已写出 {path}，可交给 `schedule sweep` 作为情景再次求解"),
    "advise.done": ("Advised in {seconds}s: {helped} of {tried} change(s) tried measurably "
                    "helped{then}.",
                    "建议完成，用时 {seconds} 秒：已尝试的 {tried} 项调整中有 {helped} 项实测有效"
                    "{then}。"),
    "explain.unknown_student": ("Student '{student}' is not in {school}'s Students sheet; "
                                "nothing was explained. Give an id from its id column.",
                                "学生“{student}”不在 {school} 的 Students 工作表中；未作说明。"
                                "请使用该表 id 列中的编号。"),
    "explain.done": ("Explained student {student}'s places from {schedule}; nothing was "
                     "written. `schedule advise {school}` says which changes would give more "
                     "children theirs.",
                     "已根据 {schedule} 说明学生 {student} 的安排；未写出任何文件。"
                     "`schedule advise {school}` 可给出让更多学生获得志愿的调整建议。"),
    "resolve.previous_errors": ("{name}: {count} error(s) in the previous schedule; nothing "
                                "was solved or written.",
                                "{name}：上一版方案有 {count} 处错误；未求解，也未写出任何文件。"),
    "resolve.previous_lock_errors": ("{name}: {count} error(s) in the previous schedule; "
                                     "nothing was solved or written; fix or clear those locks, "
                                     "or give --unlock-broken to free them.",
                                     "{name}：上一版方案有 {count} 处错误；未求解，也未写出任何"
                                     "文件；请修正或清除这些锁定，或加 --unlock-broken 解除它们。"),
    "resolve.locks_unkept": ("{name}: {count} lock(s) cannot be kept; nothing was written; "
                             "clear those locks, or give --unlock-broken to free them.",
                             "{name}：{count} 处锁定无法保持；未写出任何文件；请清除这些锁定，"
                             "或加 --unlock-broken 解除它们。"),
    "resolve.lock_missed": ("lock not kept: {lock}", "未保持的锁定：{lock}"),
    "resolve.locks_missed": ("The re-solved schedule does not keep every lock (a bug; please "
                             "report it with both workbooks). Nothing was written.",
                             "重新求解的方案未保持全部锁定（程序错误，请连同两个工作簿一起反馈）。"
                             "未写出任何文件。"),
    "resolve.no_longer_holds": ("note: the previous schedule no longer keeps {count} rule "
                                "clause(s) of the school as it is now ({rules}); the new "
                                "schedule keeps every rule, for example:",
                                "提示：按学校现状，上一版方案有 {count} 处不再符合规则（{rules}）；"
                                "新方案符合全部规则。例如："),
    "resolve.rule_count": ("rule {rule} ({name}): {count}", "规则 {rule}（{name}）：{count}"),
    "resolve.unlocked": ("unlocked: {where}: {problem}", "已解除锁定：{where}：{problem}"),
    "resolve.moved": ("moved: {children} child(ren) from a place they still want{proven}, "
                      "{forced} whose place is gone or no longer theirs, {sections} section(s) "
                      "changed in day, time, room or staff, {duties} study duty(ies) moved.",
                      "调整：{children} 名学生离开了仍想要且仍可参加的位置{proven}，{forced} 名"
                      "学生的位置已取消或不再属于他们，{sections} 个班组的日期、时间、场地或"
                      "人员有变，{duties} 项托管看管任务有变。"),
    "resolve.fewest": (" (the fewest possible)", "（已是最少）"),
    "resolve.at_least": (" (at least {least} had to move)", "（至少 {least} 名必须调整）"),
    "cli.wrote": ("wrote {path}", "已写入 {path}"),
    "cli.problems.level": ("level", "级别"),
    "cli.problems.sheet": ("sheet", "工作表"),
    "cli.problems.row": ("row", "行"),
    "cli.problems.column": ("column", "列"),
    "cli.problems.value": ("value", "值"),
    "cli.problems.problem": ("problem", "问题"),
    "cli.validate.errors": ("{name}: {errors} error(s), {warnings} warning(s); fix the errors "
                            "before solving.",
                            "{name}：{errors} 个错误，{warnings} 个警告；请先改正错误再排课。"),
    "cli.validate.ok": ("{name}: {school} — {registered} registered of {students} students, "
                        "{activities} activities, {rooms} rooms, {staff} staff; {verdict}",
                        "{name}：{school} — {students} 名学生中 {registered} 名报名，"
                        "{activities} 项活动，{rooms} 个场地，{staff} 名人员；{verdict}"),
    "cli.validate.clean": ("no problems.", "没有问题。"),
    "cli.validate.warnings": ("{warnings} warning(s).", "{warnings} 个警告。"),
    "cli.template.wrote": ("wrote {path}", "已写入 {path}；填好后可用 schedule validate 检查。"),
    "cli.load.errors": ("{name}: {errors} error(s); nothing was solved or written.",
                        "{name}：{errors} 个错误；没有排课，也没有写入任何文件。"),
    "cli.solve.output_is_input": ("note: -o names the input workbook, which is never "
                                  "overwritten; the schedule will be written beside it under a "
                                  "free name.",
                                  "提示：-o 指定的是输入工作簿，它不会被覆盖；方案将以另一个"
                                  "未占用的名字写在它旁边。"),
    "cli.solve.reading": ("reading {path} …", "正在读取 {path} …"),
    "cli.solve.writing": ("writing {path} …", "正在写入 {path} …"),
    "cli.solve.start": ("{school}: {registered} registered students; seed {seed}; up to "
                        "{limit}s",
                        "{school}：{registered} 名报名学生；种子 {seed}；最长 {limit} 秒"),
    "cli.status.optimal": ("optimal", "已找到最优方案"),
    "cli.status.feasible": ("feasible", "已找到可行方案"),
    "cli.status.infeasible": ("infeasible", "无可行方案"),
    "cli.status.no_solution": ("no solution", "未找到方案"),
    "cli.solve.gap": ("{goal} {gap}", "{goal} {gap}"),
    "cli.list_sep": (", ", "、"),
    "cli.clause_sep": ("; ", "；"),
    "cli.solve.not_proven": (" (not proven optimal)", "（未证明最优）"),
    "cli.solve.not_proven_gaps": (" (not proven optimal; gaps: {gaps})",
                                  "（未证明最优；差距：{gaps}）"),
    "cli.solve.interrupted_during": (", interrupted during {where}", "，中断于{where}"),
    "cli.solve.no_time_to_search": (
        "note: the {limit} s time limit ran out before the search could begin, so the "
        "constructive schedule was written as it was; a longer --time-limit lets the "
        "search improve it",
        "提示：{limit} 秒的时限在搜索开始前已用完，因此写入的是构造方案；加长 --time-limit "
        "可让搜索继续改进方案"),
    "cli.stopped_at": ("goal {goal} (level {level} of {levels})",
                       "目标“{goal}”（第 {level} 级，共 {levels} 级）"),
    "cli.interrupted_note": ("interrupted (Ctrl-C) during {where}", "在{where}时被中断（Ctrl-C）"),
    "cli.stopped_at_last": ("the last goal", "最后一个目标"),
    "cli.stopped_before_search": ("the preparation of the search (the constructive "
                                  "schedule, the model)", "搜索前的准备（构造方案、建立模型）"),
    "cli.solve.done": ("{status} in {seconds}s, seed {seed}: wrote {paths}",
                       "{status}，用时 {seconds} 秒，种子 {seed}：已写入 {paths}"),
    "cli.solve.kpi": ("  {name}: {value}", "  {name}：{value}"),
    "cli.infeasible_line": ("infeasible: {line}", "无法排课：{line}"),
    "cli.infeasible": ("No schedule can keep every rule; nothing was written.",
                       "没有任何方案能满足全部规则；没有写入任何文件。"),
    "cli.no_solution": ("No schedule found within {limit}s and none proven impossible; try a "
                        "longer --time-limit or more --workers. Nothing was written.",
                        "{limit} 秒内未找到方案，也未证明无解；请加大 --time-limit 或 "
                        "--workers 再试。没有写入任何文件。"),
    "cli.checker_line": ("checker: {violation}", "校验：{violation}"),
    "cli.checker_rejected": ("The independent checker rejected the schedule (a bug; please "
                             "report it with the workbook). Nothing was written.",
                             "独立校验拒绝了该方案（这是程序缺陷，请连同工作簿一起报告）。"
                             "没有写入任何文件。"),
    "cli.not_written": ("error: {name} could not be written anywhere: {reasons}.",
                        "错误：{name} 无法写入任何位置：{reasons}。"),
    "cli.check.ok": ("every hard rule holds", "全部硬性规则均满足"),
    "cli.check.violations": ("{count} violation(s)", "{count} 处违规"),
    "cli.check.goal": ("{name}: {value}", "{name}：{value}"),
    "cli.print.not_pdf": ("error: print writes a PDF; name the output .pdf, not {name}.",
                          "错误：print 只写 PDF；输出文件名应以 .pdf 结尾，而不是 {name}。"),
    "cli.print.unchecked": ("note: {differs}; printing from the visible Sections and "
                            "Assignments sheets as they are, not checked against the rules "
                            "(give the school workbook with --school to check them).",
                            "提示：{differs}；按可见的 Sections 和 Assignments 表原样打印，"
                            "未按规则校验（用 --school 给出学校工作簿即可校验）。"),
    "cli.print.checked": ("note: {differs}; printing from the visible Sections and Assignments "
                          "sheets, checked against {school} found beside it.",
                          "提示：{differs}；按可见的 Sections 和 Assignments 表打印，"
                          "已按旁边找到的 {school} 校验。"),
    "visible.moved": ("the {sheet} sheet places {count} student(s) differently",
                      "{sheet} 表中有 {count} 名学生的安排不同"),
    "visible.changed": ("the {sheet} sheet differs for {count} section(s) ({shown})",
                        "{sheet} 表中有 {count} 个班组不同（{shown}）"),
    "visible.stale": ("{differs} from the print data the solve stored",
                      "与排课时保存的打印数据相比，{differs}"),
    "visible.stale_both": ("{first} and {second} from the print data the solve stored",
                           "与排课时保存的打印数据相比，{first}，且{second}"),
    "cli.breaks_rules": ("{name} breaks {count} rule clause(s); nothing was written.",
                         "{name} 违反了 {count} 条规则；没有写入任何文件。"),
    "ctrlc.again": ("Ctrl-C again: stopped at once; nothing more was written.",
                    "再次按下 Ctrl-C：已立即停止；没有再写入任何文件。"),
    "ctrlc.searching": ("Ctrl-C: stopping the search; the best schedule so far will be written "
                        "(Ctrl-C again to stop at once, without it).",
                        "Ctrl-C：正在停止搜索，将写入目前最好的方案（再按一次 Ctrl-C 立即停止，"
                        "不写入）。"),
    "ctrlc.writing": ("Ctrl-C: finishing the write (Ctrl-C again to stop at once; the previous "
                      "file is then kept).",
                      "Ctrl-C：正在完成写入（再按一次 Ctrl-C 立即停止，原有文件保持不变）。"),
    # --- sample, next term, diff, cover and sweep (optimizer/commands/) ---------------
    "cli.sample.knobs": ("knobs for --set: {knobs}", "--set 可调的参数：{knobs}"),
    "cli.sample.no_output": ("Missing argument 'OUTPUT': the workbook to write.",
                             "缺少参数：要写入的工作簿的文件名。"),
    "cli.sample.unknown_shape": ("unknown shape '{shape}'; known: {known}",
                                 "未知的学校形态 '{shape}'；可用的有：{known}"),
    "cli.sample.bad_knob": ("--set '{text}': expected KNOB=VALUE, e.g. {example}",
                            "--set '{text}'：应写作 参数名=值，如 {example}"),
    "cli.sample.wrote": ("wrote {path}: {school}, {students} students, {registered} registered",
                         "已写入 {path}：{school}，{students} 名学生，{registered} 名已报名"),
    "cli.previous.unusable": ("{previous} cannot serve as last term's schedule of {workbook}; "
                              "nothing was solved or written.",
                              "{previous} 不能作为 {workbook} 的上学期方案；没有排课，也没有写入"
                              "任何文件。"),
    "cli.previous.raised": ("note: last term: {matched} of the {last} children it placed are "
                            "here; {raised} raised one priority for getting fewer places than "
                            "they want, {got} of them now in a chosen activity.",
                            "提示：上学期方案安排的 {last} 名学生中有 {matched} 名在本校；其中 "
                            "{raised} 名因获得的名额少于所报而提高一级优先级，他们中 {got} 名现已"
                            "进入所选活动。"),
    "cli.diff.needs_school": ("error: -o writes the Changes sheet as .xlsx or .pdf, and needs "
                              "the school workbook (--school) for the school's name, term and "
                              "children.",
                              "错误：-o 把变动表写成 .xlsx 或 .pdf，并需要用 --school 给出学校"
                              "工作簿（学校名称、学期和学生都来自它）。"),
    "cli.diff.unreadable": ("{name} cannot be read as a schedule; nothing was compared.",
                            "{name} 无法作为排课方案读取；没有进行比较。"),
    "cli.diff.title": ("{title}:", "{title}："),
    "cli.diff.none": ("Nothing changed between {old} and {new}.",
                      "{old} 与 {new} 之间没有变动。"),
    "cli.diff.changed": ("{children} child(ren), {staff} staff member(s) and {sections} "
                         "section(s) changed; {next}",
                         "{children} 名学生、{staff} 名人员和 {sections} 个班组有变动；{next}"),
    "cli.diff.send": ("send the written sheet with the letters home.",
                      "请把写好的表随家长通知一起发出。"),
    "cli.diff.add_o": ("add --school and -o changes.xlsx to print them for the letters home.",
                       "加上 --school 和 -o 变动.xlsx 即可打印出来，随家长通知发出。"),
    "cli.cover.unreadable": ("{name} cannot be read as a schedule; nothing was said.",
                             "{name} 无法作为排课方案读取；没有给出代课安排。"),
    "cli.cover.error": ("error: {text}.", "错误：{text}。"),
    "cli.cover.title": ("{title}:", "{title}："),
    "cli.cover.meeting": ("  {time} {activity}, {room}, {away}:",
                          "  {time} {activity}，{room}，{away}："),
    "cli.cover.nobody_away": ("Nobody away has a meeting on {date}; nothing to cover.",
                              "{date} 请假的人员没有活动；无需代课。"),
    "cli.cover.to_cover": ("{count} meeting(s) to cover on {date}{uncovered}; {next}",
                           "{date} 有 {count} 次活动需要代课{uncovered}；{next}"),
    "cli.cover.uncovered": (", {count} with nobody who may take it (consider study supervision "
                            "or cancelling)",
                            "，其中 {count} 次无人可代（可考虑改为自习看护或取消）"),
    "cli.cover.print": ("print the sheet written.", "请打印写好的表。"),
    "cli.cover.add_o": ("add -o cover.xlsx for a printable sheet.",
                        "加上 -o 代课.xlsx 即可得到可打印的表。"),
    "cover.unknown_one": ("{ids} is not in the Staff sheet; give the id of someone on it, e.g. "
                          "{example}",
                          "Staff 表中没有 {ids}；请给出表中人员的编号，如 {example}"),
    "cover.unknown_many": ("{ids} are not in the Staff sheet; give the id of someone on it, e.g. "
                           "{example}",
                           "Staff 表中没有 {ids}；请给出表中人员的编号，如 {example}"),
    "cover.outside_term": ("{date} is outside the term ({start} to {end}); give a date in the "
                           "term",
                           "{date} 不在学期内（{start} 至 {end}）；请给出学期内的日期"),
    "cover.not_school_day": ("{date} is a {weekday}, not a school day; after-school meetings "
                             "are Monday to Friday",
                             "{date} 是{weekday}，不是上学日；课后服务在周一至周五进行"),
    "weekday.Saturday": ("Saturday", "周六"),
    "weekday.Sunday": ("Sunday", "周日"),
    "cli.sweep.bad_scenarios": ("{path}: fix the scenarios; nothing was solved.",
                                "{path}：请修正情景；没有排课。"),
    "cli.sweep.no_schools": ("error: no school workbooks (*.xlsx) found in {paths}",
                             "错误：在 {paths} 中没有找到学校工作簿（*.xlsx）"),
    "cli.sweep.start": ("{schools} school(s) × {scenarios} scenario(s): {count} to solve{kept}",
                        "{schools} 所学校 × {scenarios} 个情景：{count} 组待排{kept}"),
    "cli.sweep.kept": (", {count} already in {name}", "，{count} 组已在 {name} 中"),
    "cli.sweep.solving": ("solving", "正在排课"),
    "cli.sweep.interrupted": ("Interrupted; any pairs already finished are kept in {path} (run "
                              "the same command again to solve the rest).",
                              "已中断；已完成的各组保存在 {path} 中（再次运行同一命令即可排完"
                              "其余各组）。"),
    "cli.sweep.failed": ("{school} × {scenario}: {status}: {reason}",
                         "{school} × {scenario}：{status}：{reason}"),
    "cli.sweep.wrote": ("wrote {path} and {parquet}: {pairs} pair(s), {solved} with a schedule, "
                        "{failed} failed",
                        "已写入 {path} 和 {parquet}：共 {pairs} 组，{solved} 组有方案，{failed} "
                        "组失败"),
    "cli.sweep.scenario": ("  {scenario}: {solved}/{schools} solved, {none} with none of their "
                           "choices, first choice {first}, budget used {budget}",
                           "  {scenario}：{solved}/{schools} 所学校有方案，{none} 名学生未获任何"
                           "志愿，第一志愿 {first}，预算使用 {budget}"),
    # --- a wrong command line, said again when --lang zh is on it (optimizer/console/usage.py)
    "usage.help": ("Try '{command} -h' for help.", "用 {command} -h 查看用法。"),
    "usage.no_such_option": ("no such option {option}", "没有选项 {option}"),
    "usage.no_such_command": ("no such command '{command}'", "没有命令 '{command}'"),
    "usage.did_you_mean": ("{problem}; did you mean {guesses}?", "{problem}；是否想用 {guesses}？"),
    "usage.missing_argument": ("missing argument {name}", "缺少参数 {name}"),
    "usage.missing_option": ("missing option {name}", "缺少选项 {name}"),
    "usage.needs_value": ("option {option} needs a value", "选项 {option} 后面需要一个值"),
    "usage.not_a_choice": ("invalid value for {name}: expected one of {choices}",
                           "{name} 的值无效：应为 {choices} 之一"),
    "usage.out_of_range": ("invalid value for {name}: expected a number from {low} to {high}",
                           "{name} 的值无效：应为 {low} 至 {high} 之间的数"),
    "usage.below_minimum": ("invalid value for {name}: expected a number of at least {low}",
                            "{name} 的值无效：应为不小于 {low} 的数"),
    "usage.invalid_value": ("invalid value for {name}: {detail}", "{name} 的值无效（{detail}）"),
    "usage.extra_arguments": ("unexpected extra argument(s): {args}", "多余的参数：{args}"),
    "usage.other": ("{text}", "命令行有误（{text}）"),
    "previous.unknown_student": ("student {student} is not in this term's Students sheet",
                                 "本学期的 Students 表中没有学生 {student}"),
    "previous.other_school": ("{unknown} of the {placed} students this schedule places are not "
                              "in this term's Students sheet (at most {most} may be): it looks "
                              "like another school's schedule",
                              "该方案安排的 {placed} 名学生中有 {unknown} 名不在本学期的 "
                              "Students 表中（最多允许 {most}）：看来是别的学校的方案"),
    "previous.nobody": ("the schedule places no student; expected last term's schedule of this "
                        "school",
                        "该方案没有安排任何学生；应为本校上学期的方案"),
    "sweep.same_name": ("two schools are named '{name}' ({first} and {second}); rename one, the "
                        "file name is the school's key",
                        "有两所学校都叫 '{name}'（{first} 和 {second}）；请改掉其中一个文件名，"
                        "文件名就是学校的标识"),
    "sweep.output_kind": ("results go to an .xlsx or .parquet file, not '{name}'",
                          "结果要写入 .xlsx 或 .parquet 文件，而不是 '{name}'"),
    "sweep.not_results": ("{path} exists but holds no sweep results that can be read ({why}); "
                          "choose another output, or --fresh to replace it",
                          "{path} 已存在，但其中没有可读取的批量排课结果（{why}）；请换一个输出"
                          "文件，或用 --fresh 替换它"),
    "shape.late": ("period 2 would end at {time}, after 18:00",
                   "第 2 节将在 {time} 结束，晚于 18:00"),
    "shape.unknown_knob": ("unknown shape knob '{knob}'; known: {known}",
                           "未知的形态参数 '{knob}'；可用的有：{known}"),
    "shape.knob_not_number": ("knob {knob} takes a number, not '{value}'",
                              "参数 {knob} 应为数字，而不是 '{value}'"),
    "shape.unknown": ("unknown shape '{shape}'; known: {known}",
                      "未知的学校形态 '{shape}'；可用的有：{known}"),
    "shape.no_students": ("num_students must be at least 1", "学生人数至少为 1"),
    "shape.grade_twice": ("a grade belongs to two bands; each grade is in exactly one",
                          "有年级同时属于两个时段组；每个年级只能属于一个"),
    "shape.band_expected": ("expected like 1-3@15:40, 4-9@16:35/45 or 4-9@16:35/40+5",
                            "应写作如 1-3@15:40、4-9@16:35/45 或 4-9@16:35/40+5"),
    "shape.band_numbers": ("grades and minutes are numbers", "年级和分钟数须为数字"),
    "shape.band_grades": ("grades are 1-9", "年级为 1-9"),
    "shape.band": ("band '{band}': {reason}; {expected}", "时段组 '{band}'：{reason}；{expected}"),
    "shape.band_cannot": ("band '{band}': {reason}", "时段组 '{band}'：{reason}"),
    # --- goal order and weights, --goals or the Settings key goals (optimizer/search/levels.py)
    "goals.unknown": ("unknown goal '{name}'; expected one of {goals}",
                      "未知目标 '{name}'；应为 {goals} 之一"),
    "goals.twice": ("goal '{name}' is listed twice", "目标 '{name}' 列出了两次"),
    "goals.weight_not_whole": ("weight of '{name}' must be a whole number, not '{weight}'",
                               "'{name}' 的权重必须是整数，而不是 '{weight}'"),
    "goals.weight_below_one": ("weight of '{name}' must be at least 1",
                               "'{name}' 的权重至少为 1"),
    "goals.none": ("no goals given; expected e.g. 'unserved; choice_points; cost'",
                   "没有给出目标；应写作如 'unserved; choice_points; cost'"),
    "goals.from_option": ("--goals", "--goals"),
    "goals.from_settings": ("Settings sheet, key goals", "Settings 表的 goals 键"),
    "goals.where": ("{where}: {problem}", "{where}：{problem}"),
    # --- the checker's violations (models/check.py) -------------------------------------
    "check.violation": ("rule {rule} ({name}): {message}", "规则 {rule}（{name}）：{message}"),
    "rule.time": ("time", "时间"),
    "rule.sections": ("sections", "班组"),
    "rule.rooms": ("rooms", "场地"),
    "rule.staff": ("staff", "人员"),
    "rule.students": ("students", "学生"),
    "rule.study": ("study", "自习"),
    "rule.budget": ("budget", "预算"),
    "day.Mon": ("Mon", "周一"),
    "day.Tue": ("Tue", "周二"),
    "day.Wed": ("Wed", "周三"),
    "day.Thu": ("Thu", "周四"),
    "day.Fri": ("Fri", "周五"),
    "check.day_n": ("day {day}", "第 {day} 天"),
    "check.slot": ("{day} period {period}", "{day}第 {period} 节"),
    "check.period": ("period {period}", "第 {period} 节"),
    "check.periods": ("periods {periods}", "第 {periods} 节"),
    "check.day_periods": ("{day} {periods}", "{day}{periods}"),
    "check.at": ("section {section} ({activity}) on {day} {start}-{end}",
                 "{day} {start}-{end} 的班组 {section}（{activity}）"),
    "check.no_date": ("no date", "无日期"),
    "check.section_id_twice": ("section id {section} is used by {count} sections; each section "
                               "needs its own id",
                               "班组编号 {section} 被 {count} 个班组使用；每个班组需要自己的编号"),
    "check.unknown_activity": ("section {section} is of activity {activity}, which is not in the "
                               "Activities sheet",
                               "班组 {section} 属于活动 {activity}，但 Activities 表中没有该活动"),
    "check.unknown_vendor": ("section {section}: activity {activity} is provided by vendor "
                             "{vendor}, which is not in the Vendors sheet",
                             "班组 {section}：活动 {activity} 由机构 {vendor} 提供，但 Vendors "
                             "表中没有该机构"),
    "check.unknown_student": ("section {section} lists student {student}, who is not in the "
                              "Students sheet",
                              "班组 {section} 列有学生 {student}，但 Students 表中没有该学生"),
    "check.unknown_room": ("{at} is in room {room}, which is not in the Rooms sheet",
                           "{at}在场地 {room}，但 Rooms 表中没有该场地"),
    "check.unknown_staff": ("{at} is staffed by {staff}, who is not in the Staff sheet",
                            "{at}由 {staff} 负责，但 Staff 表中没有此人"),
    "check.not_school_day": ("{at}: day {day} is not a school day (0-4 are Mon-Fri)",
                             "{at}：第 {day} 天不是上学日（0-4 对应 Mon-Fri）"),
    "check.bad_periods": ("{at} takes periods {periods}; a meeting takes period 1, period 2, or "
                          "periods 1 and 2 of one day",
                          "{at}占用节次 {periods}；一次活动只能占用同一天的第 1 节、第 2 节或"
                          "第 1 和第 2 节"),
    "check.period_count": ("{at} takes {taken} period(s), but {activity} runs {wanted} period(s) "
                           "per session",
                           "{at}占用 {taken} 节，但 {activity} 每次为 {wanted} 节"),
    "check.after_latest_end": ("{at} ends after latest_end {time}",
                               "{at}结束时间晚于 latest_end {time}"),
    "check.grade_no_periods": ("{at}: grade {grade} has no {periods} on {day}",
                               "{at}：{grade} 年级在{day}没有{periods}"),
    "check.grade_period_runs": ("{at}: grade {grade}'s {periods} runs {start}-{end}",
                                "{at}：{grade} 年级的{periods}时间为 {start}-{end}"),
    "check.grade_periods_run": ("{at}: grade {grade}'s {periods} run {start}-{end}",
                                "{at}：{grade} 年级的{periods}时间为 {start}-{end}"),
    "check.no_grade_fits": ("{at}: no eligible grade has {periods} at these times",
                            "{at}：没有可参加的年级在这个时间有{periods}"),
    "check.too_many_sections": ("activity {activity} opens {count} section(s); at most {most} "
                                "may open (max_sections)",
                                "活动 {activity} 开了 {count} 个班组；最多可开 {most} 个"
                                "（max_sections）"),
    "check.not_placed": ("section {section} lists student {student}, but Assignments do not "
                         "place them in it on {slots}; a section is the same group at every "
                         "meeting",
                         "班组 {section} 列有学生 {student}，但 Assignments 没有在{slots}把该"
                         "学生安排在此班组；一个班组每次活动都是同一批学生"),
    "check.too_small": ("section {section} has {size} students, fewer than {activity}'s min_size "
                        "{min_size}",
                        "班组 {section} 有 {size} 名学生，少于 {activity} 的 min_size {min_size}"),
    "check.too_big": ("section {section} has {size} students, more than {activity}'s max_size "
                      "{max_size}",
                      "班组 {section} 有 {size} 名学生，多于 {activity} 的 max_size {max_size}"),
    "check.meetings_count": ("section {section} meets {count} time(s) a week; {activity} meets "
                             "{wanted} (sessions_per_week)",
                             "班组 {section} 每周活动 {count} 次；{activity} 应为每周 {wanted} 次"
                             "（sessions_per_week）"),
    "check.same_day": ("section {section} meets {count} times on {day}; its meetings must be on "
                       "different days",
                       "班组 {section} 在{day}活动 {count} 次；各次活动必须在不同的日子"),
    "check.outside_days": ("{at} uses {slots}, outside {activity}'s allowed days",
                           "{at}占用{slots}，不在 {activity} 允许的日子内"),
    "check.different_periods": ("section {section} meets in different periods on different days "
                                "({meetings}); a section always takes the same period(s)",
                                "班组 {section} 在不同日子占用不同节次（{meetings}）；一个班组"
                                "始终占用相同的节次"),
    "check.room_type": ("{at} is in room {room} of type {type}; {activity} needs a room of type "
                        "{wanted}",
                        "{at}在类型为 {type} 的场地 {room}；{activity} 需要类型为 {wanted} 的场地"),
    "check.room_full": ("{at} has {size} students in room {room}, which holds {capacity}",
                        "{at}在场地 {room} 有 {size} 名学生，而该场地只能容纳 {capacity} 人"),
    "check.room_closed": ("{at} uses room {room}, which is unavailable on {slots}",
                          "{at}使用场地 {room}，但该场地在{slots}不可用"),
    "check.room_twice": ("room {room} holds two meetings at once: {first} and {second}",
                         "场地 {room} 同时安排了两次活动：{first}和{second}"),
    "check.staff_twice": ("{at} lists the same person twice ({staff})",
                          "{at}重复列出同一人（{staff}）"),
    "check.staff_count": ("{at} is staffed by {count} person(s); {activity} needs exactly "
                          "{wanted}",
                          "{at}由 {count} 人负责；{activity} 需要恰好 {wanted} 人"),
    "check.staff_unavailable": ("{at}: {staff} is unavailable on {slots}",
                                "{at}：{staff} 在{slots}不可用"),
    "check.staff_skill": ("{at}: {staff} lacks the skill {skill}",
                          "{at}：{staff} 不具备技能 {skill}"),
    "check.not_vendor_instructor": ("{at}: {staff} is not an instructor of vendor {vendor}, "
                                    "which provides {activity}",
                                    "{at}：{staff} 不是提供 {activity} 的机构 {vendor} 的教师"),
    "check.vendor_in_school": ("{at}: {staff} is a vendor instructor; a school activity is never "
                               "staffed by vendor instructors",
                               "{at}：{staff} 是机构教师；学校自办的活动不能由机构教师负责"),
    "check.affiliated": ("{staff} is an in-service teacher affiliated with {vendor} and may not "
                         "serve (policy 5(1))",
                         "{staff} 是与 {vendor} 有关联的在职教师，不得参与服务（政策第 5(1) 条）"),
    "check.not_vetted": ("{staff} ({role}) serves without a background check",
                         "{staff}（{role}）未经背景审查即参与服务"),
    "check.vetting_ends": ("{staff}'s background check runs to {until}, before term_end "
                           "{term_end}",
                           "{staff} 的背景审查有效期至 {until}，早于 term_end {term_end}"),
    "check.day_load": ("{staff} staffs {load} periods on {day}; max_periods_day is {most}",
                       "{staff} 在{day}负责 {load} 节；max_periods_day 为 {most}"),
    "check.week_load": ("{staff} staffs {load} periods a week; max_periods_week is {most}",
                        "{staff} 每周负责 {load} 节；max_periods_week 为 {most}"),
    "check.staff_clash": ("{staff} is in two meetings at once: {first} and {second}",
                          "{staff} 同时在两次活动中：{first}和{second}"),
    "check.vendor_unqualified": ("vendor {vendor} is not qualified but its activities meet",
                                 "机构 {vendor} 不具备资质，但其活动仍在进行"),
    "check.contract_ends": ("vendor {vendor}'s contract runs to {until}, before term_end "
                            "{term_end}",
                            "机构 {vendor} 的合同有效期至 {until}，早于 term_end {term_end}"),
    "check.vendor_load": ("vendor {vendor}'s activities meet {count} time(s) a week; "
                          "max_sessions_week is {most}",
                          "机构 {vendor} 的活动每周 {count} 次；max_sessions_week 为 {most}"),
    "check.student_repeated": ("section {section} lists student(s) {students} more than once",
                               "班组 {section} 重复列出学生 {students}"),
    "check.who": ("student {student} (grade {grade}) in section {section}",
                  "班组 {section} 中的学生 {student}（{grade} 年级）"),
    "check.not_registered": ("{who}: the student is not registered for after-school service",
                             "{who}：该学生未报名课后服务"),
    "check.wrong_grade": ("{who}: {activity} does not admit grade {grade}",
                          "{who}：{activity} 不招收 {grade} 年级"),
    "check.not_chosen": ("{who}: the student did not choose {activity}",
                         "{who}：该学生没有选择 {activity}"),
    "check.day_not_registered": ("{who}: not registered on {day}", "{who}：没有报名{day}"),
    "check.picked_up": ("{who}: picked up after period {stay} but the meeting on {day} takes "
                        "{periods}",
                        "{who}：第 {stay} 节后接走，但{day}的活动占用{periods}"),
    "check.too_many_chosen": ("student {student} is in {count} chosen sections ({sections}); "
                              "they want at most {wants}",
                              "学生 {student} 在 {count} 个所选班组中（{sections}）；最多只要 "
                              "{wants} 个"),
    "check.same_activity": ("student {student} is in {count} sections of {activity}",
                            "学生 {student} 在 {activity} 的 {count} 个班组中"),
    "check.fee_cap": ("student {student}'s per-head fees total {fees} yuan, over per_student_cap "
                      "{cap} yuan",
                      "学生 {student} 的按人计费合计 {fees} 元，超过 per_student_cap {cap} 元"),
    "check.student_clash": ("student {student} is in two places at once: {first} and {second}",
                            "学生 {student} 同时在两处：{first}和{second}"),
    "check.place": ("Assignments place student {student} on {slot}",
                    "Assignments 把学生 {student} 安排在{slot}"),
    "check.place_unknown_section": ("{where} in section {section}, which is not in the schedule",
                                    "{where}的班组 {section}，但方案中没有该班组"),
    "check.place_not_listed": ("{where} in section {section}, which does not list them",
                               "{where}的班组 {section}，但该班组没有列出该学生"),
    "check.place_not_meeting": ("{where} in section {section}, which does not meet then",
                                "{where}的班组 {section}，但该班组那时没有活动"),
    "check.placed_unknown": ("Assignments place student {student}, who is not in the Students "
                             "sheet",
                             "Assignments 安排了学生 {student}，但 Students 表中没有该学生"),
    "check.placed_unregistered": ("Assignments place student {student}, who is not registered",
                                  "Assignments 安排了没有报名的学生 {student}"),
    "check.no_place": ("student {student} has no place on {slots}",
                       "学生 {student} 在{slots}没有安排"),
    "check.extra_place": ("student {student} has a place on {slots} but is not registered or "
                          "staying then",
                          "学生 {student} 在{slots}有安排，但那时没有报名或不留校"),
    "check.place_twice": ("student {student} has more than one place on {slots}",
                          "学生 {student} 在{slots}有不止一处安排"),
    "check.study_ratio": ("study section {section} has {size} students; at most {ratio} per "
                          "supervisor × {staff} = {limit}",
                          "自习班组 {section} 有 {size} 名学生；最多每位看护人员 {ratio} 名 × "
                          "{staff} = {limit}"),
    "check.study_room": ("{at}: study section of {size} students in room {room}, which holds "
                         "{capacity}",
                         "{at}：{size} 名学生的自习班组在场地 {room}，而该场地只能容纳 "
                         "{capacity} 人"),
    "check.over_budget": ("the term costs {cost} yuan, over the term's budget {budget} yuan",
                          "本学期费用 {cost} 元，超过本学期预算 {budget} 元"),
    # --- the progress line (optimizer/commands/, shown by optimizer/console/progress.py)
    "progress.line": ("{elapsed}s  {goal} {value}  {bound}  placed {placed}/{choosers}",
                      "{elapsed}秒  {goal} {value}  {bound}  已安排 {placed}/{choosers}"),
    "progress.bound": ("bound {bound}  gap {gap}", "界限 {bound}  差距 {gap}"),
    "progress.no_bound": ("no bound", "暂无界限"),
    "progress.not_proven": ("not proven yet", "尚未证明"),
    "progress.constructive": ("constructive", "构造方案"),
    # --- the template and its Help sheet (models/template.py) ---------------------------
    "template.title": ("How to fill in this workbook", "如何填写本工作簿"),
    "template.intro": (
        "After-school service workbook. Fill in the School sheet (key / value), then one row "
        "per period, activity, room, staff member, vendor and student. Sheet and column names "
        "are matched ignoring case, spaces and underscores; extra columns and sheets are "
        "ignored, so you may add your own notes. Blank rows are skipped. Money is in yuan, "
        "times are HH:MM, days are Mon Tue Wed Thu Fri. A slot list is ';'-separated days or "
        "day and period ('Wed; Mon 2'); a grade list is like 1-3, 4,5,6 or 1-3,7. Yes/no cells "
        "also accept true/false, 1/0, y/n. Check the workbook with: schedule validate FILE.xlsx",
        "课后服务工作簿。先填写 School 表（key / value），再按每个节次、活动、场地、人员、机构"
        "和学生各填一行。工作表名和列名不区分大小写、空格和下划线，但须保留英文名；多出的列和"
        "工作表会被忽略，可用来写备注。空行会被跳过。金额以元为单位，时间写作 HH:MM，星期几写作 "
        "Mon Tue Wed Thu Fri（也可写 周一 至 周五）。时段列表用 ; 分隔星期几，或星期几加节次"
        "（'Wed; Mon 2'）；年级列表写作 1-3、4,5,6 或 1-3,7。是/否单元格可填 yes/no、是/否、"
        "1/0。检查工作簿：schedule validate 文件名.xlsx"),
    "template.head.sheet": ("sheet", "工作表"),
    "template.head.column": ("column", "列"),
    "template.head.kind": ("kind", "类型"),
    "template.head.default": ("required / default", "必填 / 默认值"),
    "template.head.meaning": ("meaning", "含义"),
    "template.head.allowed": ("allowed values", "允许的值"),
    "template.required": ("required", "必填"),
    "template.optional": ("optional", "选填"),
    "template.lock_help": ("In the schedule workbook `schedule solve` writes (sheet {sheet}): "
                           "{text}.",
                           "在 `schedule solve` 写出的排课工作簿中（{sheet} 工作表）：{text}。"),
    "lockhelp.Sections": ("blank, or what `schedule resolve` must keep of this meeting: `time` "
                          "(its day and times), `room`, `staff`, several of them (`time, room`), "
                          "or `yes` for all three",
                          "留空，或 `schedule resolve` 须保留此次活动的哪些方面：`time`（日期与"
                          "时间）、`room`（场地）、`staff`（人员），可写多项（`time, room`），"
                          "`yes` 表示三项全部保留"),
    "lockhelp.Assignments": ("blank, or `yes`: `schedule resolve` keeps the child in this "
                             "section (a chosen activity's section; study places cannot be "
                             "locked)",
                             "留空，或 `yes`：`schedule resolve` 保留该学生在此班组（仅限所选"
                             "活动的班组；托管自习的位置不能锁定）"),
    "template.default_yes": ("default yes", "默认 yes（是）"),
    "template.default_no": ("default no", "默认 no（否）"),
    "template.default": ("default {default}", "默认 {default}"),
    "template.kind_default": ("({kind}; {default})", "（{kind}；{default}）"),
    "template.allowed": ("Allowed: {choices}.", "允许：{choices}。"),
    "template.key_note": ("Setting name; do not change.", "设置项名称；请勿修改。"),
    "template.value_note": ("The school's value for the setting.", "本校该设置项的值。"),
    "template.expect_reference": ("Expected an {column} from the {sheet} sheet.",
                                  "应为 {sheet} 表中的 {column}。"),
    "template.expect_choice": ("Expected one of: {choices}.", "应为以下之一：{choices}。"),
    # --- a schedule workbook read back (models/schedule_io.py) ---------------------------
    "schedule.missing": ("{path} does not exist.", "{path} 不存在。"),
    "schedule.not_xlsx": ("{name} is not an Excel .xlsx workbook; expected the output workbook "
                          "with Sections and Assignments sheets.",
                          "{name} 不是 Excel .xlsx 工作簿；应为含 Sections 和 Assignments "
                          "工作表的排课结果工作簿。"),
    "schedule.unopenable": ("{name} could not be opened as an Excel workbook; it may be damaged "
                            "({reason}).",
                            "{name} 无法作为 Excel 工作簿打开，可能已损坏（{reason}）。"),
    "schedule.sheet_missing": ("sheet '{sheet}' is missing; expected columns {columns}",
                               "缺少工作表 '{sheet}'；应含 {columns} 列"),
    "schedule.sheet_empty": ("the sheet is empty; expected a header row with columns {columns}",
                             "工作表为空；应有一行表头，含 {columns} 列"),
    "schedule.column_missing": ("required column '{column}' is missing from the header row",
                                "表头缺少必填列 '{column}'"),
    "schedule.ends_before_start": ("the meeting must end after it starts",
                                   "活动的结束时间须晚于开始时间"),
    "schedule.two_activities": ("section {section} is of activity {activity} on row {row}; a "
                                "section has one activity",
                                "班组 {section} 在第 {row} 行属于活动 {activity}；"
                                "一个班组只属于一项活动"),
    "schedule.two_sizes": ("section {section} has size {size} on row {row}; a section has one "
                           "size",
                           "班组 {section} 在第 {row} 行的人数为 {size}；一个班组只有一个人数"),
    "schedule.unknown_section": ("section not in the Sections sheet", "Sections 表中没有该班组"),
    "schedule.other_activity": ("section {section} is of activity {activity} (Sections row "
                                "{row})",
                                "班组 {section} 属于活动 {activity}（Sections 第 {row} 行）"),
    "schedule.blank": ("blank", "空白"),
    "schedule.choice_rank": ("choice_rank should be {rank}: the rank of {activity} among "
                             "student {student}'s choices (blank for study or an unchosen "
                             "activity)",
                             "choice_rank 应为{rank}：即 {activity} 在学生 {student} 志愿中的"
                             "序号（自习或未选的活动留空）"),
    "schedule.size_differs": ("size {size}, but Assignments place {placed} student(s) in "
                              "section {section}",
                              "人数为 {size}，但 Assignments 表在班组 {section} 中安排了 "
                              "{placed} 名学生"),
    "schedule.periods_need_school": ("cannot tell which period(s) this meeting takes: nobody "
                                     "is assigned to section {section} on {day} and the school "
                                     "workbook is needed to tell them",
                                     "无法判断此次活动占用哪一节：{day} 班组 {section} "
                                     "没有安排学生，需要学校工作簿才能判断"),
    "schedule.unknown_periods": ("cannot tell which period(s) this meeting takes: nobody is "
                                 "assigned to section {section} on {day} and {start}-{end} are "
                                 "no eligible grade's periods",
                                 "无法判断此次活动占用哪一节：{day} 班组 {section} 没有安排学生，"
                                 "且 {start}-{end} 不是任何可参加年级的节次时间"),
    # --- where the files went (optimizer/outputs/safe_write.py) --------------------------
    "write.wrote": ("Wrote {paths}.", "已写入 {paths}。"),
    "write.moved": ("Wrote {paths} instead of {asked}, because {reason}.",
                    "已写入 {paths}，而不是 {asked}，因为{reason}。"),
    "write.input": ("{name} is an input of this run and is never overwritten",
                    "{name} 是本次运行的输入文件，不会被覆盖"),
    "write.is_folder": ("{path} is a folder", "{path} 是文件夹"),
    "write.open_elsewhere": ("{name} is open in another program or read-only",
                             "{name} 已在其他程序中打开或为只读"),
    "write.locked": ("another run is writing {name} right now", "另一个运行正在写入 {name}"),
    "write.folder": ("the folder {folder} cannot be written ({why})",
                     "文件夹 {folder} 无法写入（{why}）"),
    "write.failed": ("writing in {folder} failed ({why})", "在 {folder} 中写入失败（{why}）"),
    "write.not_replaced": ("{name} could not be replaced ({why})", "{name} 无法替换（{why}）"),
    "write.why.full": ("the disk is full", "磁盘已满"),
    "write.why.permission": ("permission denied", "没有权限"),
    "write.why.read_only": ("a read-only disk", "磁盘为只读"),
}


# --- the contract's help, in Chinese (the English is the contract's own) ------------------
# Column and sheet names stay as the contract spells them: they are what the reader matches.
_HELP_ZH: dict[str, str] = {
    "School": "两列：key 与 value，每行一项学校与本学期的设置。",
    "School.name": "学校名称",
    "School.type": "public（公办）或 private（民办），决定未用完经费如何处理",
    "School.term_start": "学期第一天",
    "School.term_end": "学期最后一天；人员背景审查与机构合同须有效至此日",
    "School.enrolled": "学校在籍学生数（经费基数，不只是报名的学生）",
    "School.budget_per_student_year": "每名在籍学生每年经费（元）",
    "School.terms_per_year": "学期经费 = enrolled × budget_per_student_year / terms_per_year",
    "School.weeks": "本学期上课周数；每周费用乘以此数",
    "School.latest_end": "任何课后服务不得晚于此时间结束（政策：最晚 18:00）",
    "School.per_student_cap": ("每名学生每学期按人头计费的上限（元）；默认为 "
                               "budget_per_student_year / terms_per_year"),
    "School.study_ratio": "托管自习中每名看护人员最多看护的学生数",
    "School.language": "打印报表与命令提示信息的语言（en 或 zh），可不填",
    "Periods": "每个年级段、每天、每节一行：课后服务各节的时间。",
    "Periods.grades": "本行适用的年级列表，如 1-6",
    "Periods.day": "星期几，或 all。具体某天的行优先于 all 行",
    "Periods.period": "1 或 2（课后服务最多两课时）",
    "Periods.start": "开始时间 HH:MM",
    "Periods.end": "结束时间 HH:MM，不晚于 latest_end",
    "Activities": "学校课后开设的所有活动，包括托管自习。",
    "Activities.id": "唯一编号",
    "Activities.name": "显示名称",
    "Activities.category": ("sports、arts、science、club、reading、study、visit 或 other。"
                            "study 为托管自习（作业/阅读），未安排活动的学生都去自习"),
    "Activities.grades": "可参加的年级，如 3-6",
    "Activities.periods": "每次活动的课时：1，或同一天连续的 2 节",
    "Activities.sessions_per_week": "每个班组每周上课次数，每次在不同的日子",
    "Activities.min_size": "开班的最少人数",
    "Activities.max_size": "每个班组最多人数；空白：场地容量",
    "Activities.max_sections": "最多可同时开设的班组数；空白：1（自习不限）",
    "Activities.room_type": "只用此类型的场地（空白：任一教室）",
    "Activities.skill": "负责人员需具备此技能（空白：任一校内人员）",
    "Activities.staff_per_section": "每个班组每次活动所需人员数",
    "Activities.provider": "school，或机构编号：此时只由该机构的教师任教",
    "Activities.days": "允许的时段（时段列表，如 'Mon; Wed 2'）；空白：任意",
    "Activities.fee_per_session": "每个班组每次活动的费用（元）（机构课时费、场地、交通）",
    "Activities.fee_per_student": "每安排一名学生每学期的费用（元）（材料、按人头计费）",
    "Rooms": "可容纳班组活动的每个教室或场地。",
    "Rooms.id": "唯一编号",
    "Rooms.name": "显示名称",
    "Rooms.type": "classroom、gym、field、lab、art、music、library、offsite，或其他词语",
    "Rooms.capacity": "可容纳的学生数",
    "Rooms.unavailable": "不可使用的时段列表",
    "Rooms.fee_per_use": "每次在此活动的费用（元）（场地租金）",
    "Staff": "所有可以带班或看护的人员。",
    "Staff.id": "唯一编号",
    "Staff.name": "显示名称",
    "Staff.role": ("teacher（在职教师）、retired_teacher、volunteer、parent、vendor_instructor "
                   "或 professional"),
    "Staff.skills": "技能列表，用逗号分隔，如 象棋, 足球",
    "Staff.vendor": "机构编号（机构教师填写）",
    "Staff.max_periods_week": "每周课后服务课时上限；空白：在职教师 4，其他 10",
    "Staff.max_periods_day": "每天课后服务课时上限",
    "Staff.unavailable": "不能任职的时段列表",
    "Staff.vetted": "已通过背景审查（在职教师以外的人员都必须通过）",
    "Staff.vetted_until": "审查有效期截止日；须覆盖本学期",
    "Staff.pay_per_period": "每课时课酬（元）",
    "Staff.affiliated_vendor": "在校外培训机构兼职的在职教师不得任职（政策第五条第一款）",
    "Vendors": "学校购买课程的社会机构。",
    "Vendors.id": "唯一编号",
    "Vendors.name": "显示名称",
    "Vendors.qualified": "已通过学校遴选/招标",
    "Vendors.contract_until": "合同截止日；须覆盖本学期",
    "Vendors.max_sessions_week": "每周最多上课班次；空白：不限",
    "Vendors.rating": "评价得分 1-5",
    "Students": "每名学生一行；只为有报名日的学生安排。",
    "Students.id": "唯一编号（学号）",
    "Students.name": "姓名（空白：给出警告，打印件显示学号）",
    "Students.grade": "年级 1-9",
    "Students.class": "所在班级，如 3-2",
    "Students.days": "报名日（'Mon;Wed;Fri' 或 all）；空白：未报名",
    "Students.stay": "1：第1节后接走；2：两节都留校",
    "Students.wants": "每周想参加几个所选活动（班组）",
    **{f"Students.choice{k}": f"活动编号，第 {k} 志愿" for k in range(1, 6)},
    "Students.priority": "名额不足时数值高者优先",
}


def _contract_help() -> dict[str, tuple[str, str]]:
    """Each sheet's and column's help: the contract's English and the Chinese above (a
    help without Chinese yet stays English, and the catalogue test says which)."""
    from models import contract

    said: dict[str, tuple[str, str]] = {}
    for sheet in contract.INPUT_SHEETS:
        said[f"sheethelp.{sheet.name}"] = (sheet.help, _HELP_ZH.get(sheet.name, sheet.help))
        for column in sheet.columns:
            english = column.help.rstrip(".")
            said[f"help.{sheet.name}.{column.name}"] = (
                english, _HELP_ZH.get(f"{sheet.name}.{column.name}", english))
    return said


MESSAGES.update(_contract_help())
