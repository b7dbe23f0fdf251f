"""Every word the human-facing sheets and PDFs show, in English and Chinese.

One table, ``TEXT``: key → (English, Chinese), of the same shape and said the same
way (``models.messages.render``) as the catalogue of messages the commands and the
validation say (``models/catalogue.py``). Sheets and PDFs never hold a literal
label; they ask ``Labels(lang)(key, **params)``, so a missing translation is a test
failure, not a half-English report. The contract's
machine-readable sheets (Sections, Assignments) are not labelled: their names
and columns are fixed by the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.messages import LANGUAGES, language_index, render, resolve_language
from models.time import DAYS, format_time

__all__ = ["LANGUAGES", "TEXT", "Labels", "resolve_language"]

TEXT: dict[str, tuple[str, str]] = {
    # --- sheet names (at most 31 characters, none of []:*?/\) --------------------
    "sheet.summary": ("Summary", "概况"),
    "sheet.timetable": ("Timetable", "课表"),
    "sheet.rosters": ("Rosters", "点名册"),
    "sheet.classes": ("Class lists", "班级去向"),
    "sheet.students": ("Students", "学生"),
    "sheet.staff": ("Staff", "人员"),
    "sheet.rooms": ("Rooms", "场地"),
    "sheet.budget": ("Budget", "经费"),
    "sheet.unmet": ("Unmet", "未满足志愿"),
    "sheet.warnings": ("Warnings", "提示"),
    "sheet.changes": ("Changes", "变动"),
    "sheet.cover": ("Cover", "代课"),
    # --- page header and footer -----------------------------------------------------
    "term": ("term {start} to {end}", "学期 {start} 至 {end}"),
    "term_span": ("{start} to {end}", "{start} 至 {end}"),
    "page_of": ("Page &P of &N", "第 &P 页，共 &N 页"),
    "page_x_of_y": ("Page {page} of {pages}", "第 {page} 页，共 {pages} 页"),
    "redacted_note": ("Students pseudonymised (class-number); no names.",
                      "学生已匿名（班级-序号），不含姓名。"),
    # --- words used everywhere ------------------------------------------------------
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "id": ("ID", "编号"),
    "student_id": ("Student ID", "学号"),
    "name": ("Name", "姓名"),
    "class": ("Class", "班级"),
    "grade": ("Grade", "年级"),
    "grade_n": ("grade {grade}", "{grade}年级"),
    "no_": ("No.", "序号"),
    "activity": ("Activity", "活动"),
    "category": ("Category", "类别"),
    "section": ("Section", "班组"),
    "day": ("Day", "星期"),
    "time": ("Time", "时间"),
    "when": ("When", "时间"),
    "room": ("Room", "场地"),
    "staff": ("Staff", "负责人"),
    "size": ("Students", "人数"),
    "n_students": ("{n} students", "{n}人"),
    "role": ("Role", "身份"),
    "type": ("Type", "类型"),
    "capacity": ("Capacity", "容量"),
    "total": ("Total", "合计"),
    "period_n": ("period {period}", "第{period}节"),
    "slot": ("{day} {period}", "{day}第{period}节"),
    "choice_n": ("choice {rank}", "志愿{rank}"),
    "choice_ord": ("{ordinal} choice", "第{rank}志愿"),
    "ordinal.1": ("1st", "1"),
    "ordinal.2": ("2nd", "2"),
    "ordinal.3": ("3rd", "3"),
    "ordinal.4": ("4th", "4"),
    "ordinal.5": ("5th", "5"),
    "none_of_choices": ("none of their choices", "未获任何志愿"),
    "list_sep": (", ", "、"),
    "clause_sep": ("; ", "；"),
    "not_here": ("—", "—"),
    "picked_up": ("gone home", "已离校"),
    "not_registered_day": ("not registered", "未报名"),
    "study_short": ("study", "自习"),
    # --- categories and roles ------------------------------------------------------
    "cat.sports": ("sports", "体育"),
    "cat.arts": ("arts", "艺术"),
    "cat.science": ("science", "科技"),
    "cat.club": ("club", "社团"),
    "cat.reading": ("reading", "阅读"),
    "cat.study": ("supervised study", "托管自习"),
    "cat.visit": ("visit", "研学参观"),
    "cat.other": ("other", "其他"),
    "role.teacher": ("in-service teacher", "在职教师"),
    "role.retired_teacher": ("retired teacher", "退休教师"),
    "role.volunteer": ("volunteer", "志愿者"),
    "role.parent": ("parent", "家长"),
    "role.vendor_instructor": ("vendor instructor", "机构教师"),
    "role.professional": ("professional", "专业人士"),
    "rtype.classroom": ("classroom", "教室"),
    "rtype.gym": ("gym", "体育馆"),
    "rtype.field": ("field", "操场"),
    "rtype.lab": ("lab", "实验室"),
    "rtype.art": ("art room", "美术室"),
    "rtype.music": ("music room", "音乐室"),
    "rtype.library": ("library", "图书馆"),
    "rtype.offsite": ("off-site", "校外"),
    # Words schools often use beyond the contract's list (the type column is free text).
    "rtype.garden": ("garden", "种植园"),
    "rtype.pool": ("swimming pool", "游泳池"),
    "rtype.hall": ("hall", "礼堂"),
    "rtype.auditorium": ("auditorium", "报告厅"),
    "rtype.court": ("court", "球场"),
    "rtype.playground": ("playground", "操场"),
    "rtype.computer": ("computer room", "计算机教室"),
    "rtype.dance": ("dance room", "舞蹈室"),
    "rtype.workshop": ("workshop", "劳动教室"),
    "rtype.kitchen": ("kitchen", "烹饪教室"),
    "rtype.multimedia": ("multimedia room", "多媒体教室"),
    # --- Summary --------------------------------------------------------------------
    "summary.title": ("After-school schedule: summary", "课后服务安排：概况"),
    "item": ("Item", "项目"),
    "value": ("Value", "数值"),
    "school": ("School", "学校"),
    "term_dates": ("Term", "学期"),
    "solver_status": ("Solver status", "求解状态"),
    "status.optimal": ("optimal", "最优"),
    "status.feasible": ("feasible (not proven optimal in the time limit)",
                        "可行（时限内未证明最优）"),
    "status.infeasible": ("infeasible", "无可行方案"),
    "status.no solution": ("no schedule found", "未找到方案"),
    "status.unknown": ("read from a schedule workbook", "读取自已有方案"),
    "interrupted": ("Interrupted by user", "被用户中断"),
    "made_by": ("Schedule made by", "方案来源"),
    "source.search": ("the CP-SAT search, starting from the constructive schedule",
                      "CP-SAT 搜索（从构造方案出发）"),
    "source.constructive": ("the constructive schedule: the search found nothing better "
                            "in the time limit", "构造方案：时限内搜索未找到更好的方案"),
    "source.constructive_no_time": ("the constructive schedule: no time was left to search "
                                    "(give a longer time limit)",
                                    "构造方案：时限内未能开始搜索（请加长时限）"),
    "solve_time": ("Solve time (s)", "求解用时（秒）"),
    "seed": ("Lottery and search seed", "抽签与搜索种子"),
    "deterministic": ("Deterministic run", "确定性运行"),
    "checker": ("Independent checker", "独立校验"),
    "checker_ok": ("all hard rules kept", "全部硬性规则均满足"),
    "checker_bad": ("{n} violation(s)", "{n}处违规"),
    "redacted": ("Students pseudonymised", "学生匿名"),
    "raised.count": ("Raised for last term (fewer places than they wanted)",
                     "因上学期未获足够志愿而提高优先级的学生"),
    "raised.placed": ("Of them, placed in a chosen activity", "其中获得志愿活动的"),
    "raised.first": ("Of them, in their first choice", "其中获得第一志愿的"),
    "raised.all": ("Of them, given all they wanted", "其中获得全部所想活动的"),
    "raised.none": ("Of them, with none of their choices again", "其中仍未获任何志愿的"),
    "kpi.registered_students": ("Registered students", "报名学生"),
    "kpi.choosers": ("Students with choices", "填报志愿的学生"),
    "kpi.first_choice_share": ("Share with their first choice", "获得第一志愿的比例"),
    "kpi.top3_share": ("Share in their top three", "获得前三志愿的比例"),
    "kpi.choosers_with_none": ("Students with none of their choices", "未获任何志愿的学生"),
    "kpi.mean_rank": ("Mean rank of placements", "所获志愿的平均序号"),
    "kpi.sections_opened": ("Sections opened", "开设的活动班组"),
    "kpi.study_sections_opened": ("Supervised study sections", "托管自习班组"),
    "kpi.teacher_load_max": ("Busiest in-service teacher (class hours/week)",
                             "在职教师最多课时（节/周）"),
    "kpi.teacher_load_mean": ("Mean in-service teacher load (class hours/week)",
                              "在职教师平均课时（节/周）"),
    "kpi.term_cost_yuan": ("Term cost (yuan)", "学期费用（元）"),
    "kpi.term_budget_yuan": ("Term budget (yuan)", "学期预算（元）"),
    "goals.title": ("Goals, in the order solved", "优化目标（按求解顺序）"),
    "goal": ("Goal", "目标"),
    "bound": ("Best possible", "理论最优"),
    "gap": ("Gap", "差距"),
    "proof": ("Proven", "证明情况"),
    "proof.optimal": ("optimal", "已证明最优"),
    "proof.within": ("within {share} of the best possible", "与理论最优相差不超过{share}"),
    "proof.not_proven": ("not proven", "未证明"),
    "proof.not_optimized": ("not optimized", "未优化"),
    "proof.tie_break": ("tie-break only (a seeded draw among equal claims)",
                       "仅用于同等条件下的抽签"),
    "meaning": ("Meaning", "含义"),
    "goal.unserved": ("students with none of their choices", "未获任何志愿的学生数"),
    "goal.priority_served": ("students with a place (× priority)",
                             "获得志愿的学生数（×优先级）"),
    "goal.first_choices": ("students in their first choice (× priority)",
                           "获第一志愿的学生数（×优先级）"),
    "goal.choice_points": ("choice points (rank × priority)", "志愿得分（志愿序号×优先级）"),
    "goal.lottery": ("lottery tie-break among equal claims", "同等条件下的抽签"),
    "goal.teacher_max_load": ("busiest in-service teacher (class hours/week)",
                              "最忙在职教师课时（节/周）"),
    "goal.teacher_load_squares": ("teacher load spread (sum of squares)",
                                  "在职教师课时均衡（平方和）"),
    "goal.cost": ("term cost (yuan)", "学期费用（元）"),
    "goal.vendor_rating_shortfall": ("vendor rating shortfall", "机构评分差额"),
    "goal.children_moved": ("children moved from a place they still want",
                            "被调离仍想要且仍可保留的位置的学生数"),
    "goal.sections_moved": ("sections moved (day, time, room or staff)",
                            "变动的教学班数（日期、时间、教室或人员）"),
    "goal.supervisors_moved": ("study duties moved (who supervises study when)",
                               "变动的托管看管任务数（谁在何时看管）"),
    "fared.title": ("How students fared: their best placement",
                    "学生志愿满足情况（所获最好志愿）"),
    "fared.none": ("none", "未获志愿"),
    "fared.students": ("Students", "学生数"),
    "by_grade.title": ("By grade", "分年级"),
    "registered": ("Registered", "报名"),
    "choosers": ("With choices", "填报志愿"),
    "first_choice": ("1st choice", "第一志愿"),
    "top3_share": ("Top three", "前三志愿"),
    "none_count": ("None", "未获志愿"),
    "mean_rank": ("Mean rank", "平均序号"),
    # --- Timetable ------------------------------------------------------------------
    "timetable.block": ("{day}: rooms {first} to {last} of {count}",
                        "{day}：第{first}至{last}个场地（共{count}个）"),
    "timetable.block_one": ("{day}: room {first} of {count}",
                            "{day}：第{first}个场地（共{count}个）"),
    "timetable.day": ("{day}", "{day}"),
    "timetable.empty": ("No meetings.", "无安排。"),
    # --- Rosters --------------------------------------------------------------------
    "roster.title": ("Roster", "点名册"),
    "section_code": ("Section code: {code}", "班组编号：{code}"),
    "roster.dates": ("{title} · sign-in {first} to {last}", "{title} · 签到 {first}–{last}"),
    "continued": ("{title} (continued)", "{title}（续）"),
    "roster.signature": ("Person in charge (signature): ______________    Date: __________",
                         "负责人签字：______________　　日期：__________"),
    "sign_in": ("Sign-in {day}", "{day}签到"),
    "roster.empty": ("No students.", "无学生。"),
    "pdf.empty": ("Nothing to print.", "无可打印内容。"),
    # --- Class lists ------------------------------------------------------------------
    "classes.title": ("Class list: where each child is", "班级去向表：学生在哪里"),
    "classes.block": ("Class {class_name} ({grades})", "{class_name}班（{grades}）"),
    "classes.note": ("Each cell: the activity; below, where each is and who is in charge. "
                     "\"{gone}\": picked up after period 1.",
                     "每格为活动；各活动的场地与负责人列于表下。\"{gone}\"：第1节后已接走。"),
    "classes.where": ("Where, and with whom", "活动地点与负责人"),
    "classes.place": ("{place}: {when} · {room} · {staff}", "{place}：{when} · {room} · {staff}"),
    "classes.pdf_note": ("Each cell: a code and the activity; below, each code's room and who "
                         "is in charge. \"{gone}\": picked up after period 1.",
                         "每格：代号与活动；下方列出各代号的场地与负责人。\"{gone}\"：第1节后已接走。"),
    # --- Students ---------------------------------------------------------------------
    "days": ("Days", "报名日"),
    "stay": ("Stays for periods", "留校节数"),
    "wants": ("Wants", "想参加数"),
    "priority": ("Priority", "优先级"),
    "got": ("Got (ranks)", "所获志愿"),
    "best": ("Best rank", "最好志愿"),
    # --- Staff ------------------------------------------------------------------------
    "staff.title": ("Staff timetable", "人员课表"),
    "may_serve": ("May serve", "可任职"),
    "periods_week": ("Class hours/week", "课时/周"),
    "max_week": ("Max/week", "上限/周"),
    "load": ("Load", "负荷"),
    "pay_per_period": ("Pay per class hour (yuan)", "课时费（元/节）"),
    "pay_week": ("Pay per week (yuan)", "周酬（元）"),
    "pay_term": ("Pay per term (yuan)", "学期酬金（元）"),
    "staff.meetings": ("Meetings", "任课安排"),
    "staff.no_meetings": ("No meetings this term.", "本学期无安排。"),
    "staff.summary_line": ("{periods} class hours/week (at most {max}); pay {pay} yuan/term",
                           "每周{periods}节（上限{max}节）；学期酬金{pay}元"),
    # --- Rooms ------------------------------------------------------------------------
    "meetings_week": ("Meetings/week", "每周次数"),
    "hours_week": ("Hours/week", "每周小时"),
    # --- Budget -----------------------------------------------------------------------
    "budget.title": ("Term budget", "学期经费"),
    "budget.kind": ("Cost", "费用"),
    "yuan": ("Yuan", "元"),
    "budget.session_fees": ("Vendor and session fees", "机构与课时费用"),
    "budget.staff_pay": ("Staff pay", "人员课酬"),
    "budget.venue_fees": ("Venue fees", "场地费用"),
    # Per-head amounts are what the school pays a provider per child placed; families are
    # not charged under the policy, so "计费" (costed), never "收费" (charged).
    "budget.per_head_fees": ("Per-head costs", "按人头计费"),
    "budget.total": ("Term cost", "学期费用合计"),
    "budget.budget": ("Term budget", "学期预算"),
    "budget.surplus": ("Surplus", "结余"),
    "budget.over": ("Over budget by", "超出预算"),
    "budget.per_registered": ("Cost per registered student", "每名报名学生费用"),
    "budget.per_enrolled": ("Cost per enrolled student", "每名在籍学生费用"),
    "budget.budget_per_enrolled": ("Budget per enrolled student", "每名在籍学生预算"),
    "budget.weeks": ("Weeks in the term", "学期周数"),
    "budget.policy": ("What happens to the surplus", "结余如何处理"),
    # The policy's words: a public school's surplus is recovered or carried over to the
    # next year; a private school's is carried forward to the next year.
    "budget.public": (
        "Public school: the after-school funds are for the service only; an unspent balance "
        "is recovered by the funding authority or carried over to the next year, as the "
        "district's budget rules decide.",
        "公办学校：课后服务经费专款专用，结余资金按规定收回或结转下一年度使用。"),
    "budget.private": (
        "Private school: an unspent balance is carried forward to the next year's "
        "after-school service.",
        "民办学校：结余资金结转下一年度课后服务使用。"),
    "budget.by_activity": ("By activity", "分活动"),
    "sections": ("Sections", "班组数"),
    # --- Unmet ------------------------------------------------------------------------
    "unmet.title": ("Students with none of their choices or fewer than they wanted",
                    "未获志愿或所获少于所想的学生"),
    "unmet.none": ("Every registered student got all the activities they wanted.",
                   "所有报名学生均获得想参加的活动。"),
    "choices": ("Choices", "志愿"),
    "got_n": ("Got", "已获"),
    "reason": ("Why", "原因"),
    "reason.not_open": ("{activity} ({ordinal}) did not open: {why}",
                        "{activity}（{ordinal}）未开设：{why}"),
    "why.vendor": ("its vendor may not serve (not qualified, or its contract ends before the "
                   "term does)", "机构不具备资格或合同在学期结束前到期"),
    "why.staff": ("nobody who may serve has the skill", "没有可任职且具备该技能的人员"),
    "why.room": ("the school has no room of its type", "学校没有所需类型的场地"),
    "why.applicants": ("fewer applicants than its minimum size", "报名人数不足最低开班人数"),
    "why.timetable": ("no section fitted with the staff, rooms and budget",
                      "人员、场地或经费无法安排"),
    "why.fee_cap": ("its per-head fee is above the per-student cap",
                    "其按人头收费超过每生费用上限"),
    "why.vendor_sessions": ("its vendor's weekly sessions were all used",
                            "机构每周课次已用完"),
    "why.staff_busy": ("at every time it may meet, the staff with the skill were unavailable, "
                       "busy or out of class hours", "在其可开设的每个时段，具备该技能的人员均"
                       "不可用、已有安排或课时已满"),
    "why.room_busy": ("at every time it may meet, every room of its type big enough was closed "
                      "or taken", "在其可开设的每个时段，所需类型且够大的场地均关闭或已占用"),
    "reason.days": ("{activity} ({ordinal}) meets {meets}; registered {registered}",
                    "{activity}（{ordinal}）在{meets}上课，该生报名{registered}"),
    "reason.stay": ("{activity} ({ordinal}) runs in period 2; picked up after period 1",
                    "{activity}（{ordinal}）在第2节上课，该生第1节后离校"),
    "reason.full": ("{activity} ({ordinal}) full: {places} places, {applicants} applicants",
                    "{activity}（{ordinal}）已满：{places}个名额，{applicants}人报名"),
    "reason.full_outranked": (
        "{activity} ({ordinal}) full: {applicants} applicants for {places} places; those placed "
        "had higher priority, ranked it higher or drew a luckier lottery ticket",
        "{activity}（{ordinal}）已满：{applicants}人报名{places}个名额，录取者优先级更高、"
        "志愿更靠前或抽签靠前"),
    "reason.clash": ("{activity} ({ordinal}) meets at the same time as {other}, which they got",
                     "{activity}（{ordinal}）与已获得的{other}时间冲突"),
    "reason.fee_cap": ("{activity} ({ordinal}): its per-head cost would pass the cap of {cap} "
                       "yuan a term", "{activity}（{ordinal}）：按人头计费将超过每学期{cap}元上限"),
    "reason.free": ("{activity} ({ordinal}) had places at their times, but the search ended "
                    "before placing them (a longer time limit may)",
                    "{activity}（{ordinal}）在其时间仍有名额，但求解在安排前结束（可延长求解时间）"),
    "reason.grade": ("{activity} ({ordinal}) is not open to grade {grade}",
                     "{activity}（{ordinal}）不面向{grade}年级"),
    "reason.unknown": ("{activity} ({ordinal}) is not an activity of the school",
                       "{activity}（{ordinal}）不是本校的活动"),
    "reason.no_choices": ("listed no choice open to their grade", "未填报本年级可参加的志愿"),
    "reason.few_choices": ("wants {wants} but listed only {listed} eligible choice(s)",
                           "想参加{wants}项，但只填报了{listed}项可参加的志愿"),
    # --- Changes (since the previous schedule) ------------------------------------------
    "changes.title": ("What changed since the previous schedule", "与上一版方案相比的变动"),
    "changes.count.children_moved": ("Children whose week changed", "安排有变的学生"),
    "changes.count.children_joined": ("Children new to the schedule", "新加入的学生"),
    "changes.count.children_left": ("Children no longer in the schedule", "不再参加的学生"),
    "changes.count.staff_changed": ("Staff whose duties changed", "任务有变的人员"),
    "changes.count.sections_moved": ("Sections moved (day or time, room or staff)",
                                     "调整的班组（时间、场地或人员）"),
    "changes.count.sections_opened": ("Sections opened", "新开的班组"),
    "changes.count.sections_closed": ("Sections closed", "取消的班组"),
    "changes.none": ("Nothing changed.", "没有变动。"),
    "changes.children": ("Children, day by day", "学生（按日）"),
    "changes.staff": ("Staff duties", "人员任务"),
    "changes.sections": ("Sections moved, opened or closed", "调整、新开或取消的班组"),
    "changes.how": ("Change", "变动"),
    "changes.kind.moved": ("changed", "调整"),
    "changes.kind.joined": ("new", "新加入"),
    "changes.kind.left": ("left", "离开"),
    "changes.before": ("Before", "原安排"),
    "changes.after": ("After", "新安排"),
    "changes.dropped": ("No longer", "取消的任务"),
    "changes.added": ("New", "新增的任务"),
    "changes.what": ("What changed", "变动内容"),
    "changes.what.time": ("day or time", "时间"),
    "changes.what.room": ("room", "场地"),
    "changes.what.staff": ("staff", "人员"),
    "changes.what.opened": ("opened", "新开"),
    "changes.what.closed": ("closed", "取消"),
    "changes.stop": ("{period}: {activity} {time}", "{period}：{activity} {time}"),
    "changes.duty": ("{day} {time} {activity}, {room}", "{day} {time} {activity}，{room}"),
    "changes.meeting": ("{day} {time}, {room}, {staff}", "{day} {time}，{room}，{staff}"),
    # --- Cover (one day) ----------------------------------------------------------------
    "cover.title": ("Cover for {date}", "{date}代课安排"),
    "cover.absent": ("Away: {people}", "缺勤：{people}"),
    "cover.away": ("Away", "缺勤"),
    "cover.who": ("Who may take it, best first", "可代课人员（优先者在前）"),
    "cover.candidate": ("{rank}. {name}: {day} class hour(s) that day, {week} that week",
                        "{rank}. {name}：当天{day}节，本周{week}节"),
    "cover.nobody": ("nobody may take it", "无人可代"),
    "cover.more": ("… and {n} more who may", "……另有{n}人可代"),
    "cover.note": ("Each meeting is weighed on its own: someone offered for two meetings may "
                   "not take both (their daily limit). Hours count the cover.",
                   "每节课单独考虑：同一人列于两节课时，受每日上限所限可能无法都代。课时数已计入代课。"),
    "cover.none": ("Nobody away has a meeting that day.", "缺勤人员当天没有课。"),
    # --- Why not higher (Students sheet; schedule explain --student) -------------------
    "why_not_higher": ("Why not higher", "未获更靠前志愿的原因"),
    "short.full": ("full", "已满"),
    "short.days": ("not on their days", "不在报名日"),
    "short.stay": ("after their pick-up", "在离校之后"),
    "short.clash": ("clashes with a place they got", "与已获活动冲突"),
    "short.not_open": ("not opened", "未开设"),
    "short.fee_cap": ("fee cap", "超出费用上限"),
    "short.free": ("had places; search ended", "仍有名额，求解已结束"),
    "short.grade": ("not for their grade", "不面向该年级"),
    "short.unknown": ("no such activity", "无此活动"),
    "short.entry": ("{ordinal}: {why}", "{ordinal}：{why}"),
    "explain.head": ("Student {id} ({class_name}, grade {grade}): {got}.",
                     "学生{id}（{class_name}，{grade}年级）：{got}。"),
    "explain.got": ("got {what}", "获得{what}"),
    "explain.not_registered": ("not registered for after-school service, so nothing to place",
                               "未报名课后服务，无需安排"),
    "explain.no_choices": ("registered, with no choice open to their grade (in supervised study)",
                           "已报名，但没有本年级可参加的志愿（参加托管自习）"),
    "explain.nothing_above": ("They got their first choice; there is nothing above it to explain.",
                              "该生已获得第一志愿，没有更靠前的志愿需要说明。"),
    "explain.full_seats": (
        "{activity} ({ordinal}) full: {applicants} applicants for {places} places; of those "
        "placed, {by_priority} had higher priority, {by_rank} ranked it higher, {by_lottery} "
        "drew a luckier lottery ticket and {by_other} had no stronger claim (their days, times "
        "or other places fitted)",
        "{activity}（{ordinal}）已满：{applicants}人报名{places}个名额；录取者中{by_priority}人"
        "优先级更高，{by_rank}人志愿更靠前，{by_lottery}人抽签靠前，{by_other}人并无更强资格"
        "（其日期、时段或其他安排更合适）"),
    "explain.no_seed": ("(the schedule workbook records no lottery seed, so how the places went "
                        "cannot be said)", "（方案工作簿未记录抽签种子，无法说明名额如何分配）"),
    # --- Advice (schedule advise; solve --advise) ---------------------------------------
    "sheet.advice": ("Advice", "建议"),
    "advise.head": ("{school}: {with_none} of {choosers} children with choices got none of "
                    "them and {below} more are below their first choice (seed {seed}, the same "
                    "time limit for every solve).",
                    "{school}：{choosers}名填报志愿的学生中{with_none}人未获任何志愿，另有{below}人"
                    "未获第一志愿（种子{seed}，每次求解时限相同）。"),
    "advise.everyone_first": ("Every child with a choice got their first choice; there is "
                              "nothing to advise.",
                              "所有填报志愿的学生均已获得第一志愿，无需建议。"),
    "advise.no_schedule": ("The school as it is has no schedule ({status}); advice needs one. "
                           "Run `schedule explain` or `schedule solve` to see why.",
                           "学校现状下没有可行方案（{status}），无法给出建议。请运行 "
                           "`schedule explain` 或 `schedule solve` 查看原因。"),
    "advise.limits": ("What holds them back (children per limit and activity):",
                      "限制因素（按限制与活动统计的学生人数）："),
    "advise.limit": ("{activity}: {limit} — {children} children",
                     "{activity}：{limit}——{children}人"),
    "advise.none_binds": ("No limit a change could lift holds them back: their higher choices "
                          "clash with places they got, or a longer search may place them.",
                          "没有可通过调整解除的限制：更靠前的志愿与已获活动时间冲突，或延长求解"
                          "时间可能安排。"),
    "advise.tried": ("Changes tried, each solved with the same seed and time limit; the effect "
                     "is measured, not estimated:",
                     "已尝试的调整（每项均以相同种子和时限求解；效果为实测，非估算）："),
    "advise.suggestion": ("{n}. {name}: {gained:+d} children with a choice, {first:+d} first "
                          "choices, {cost:+,.0f} yuan a term",
                          "{n}. {name}：有志愿的学生{gained:+d}人，第一志愿{first:+d}人，"
                          "每学期费用{cost:+,.0f}元"),
    "advise.failed": ("{n}. {name}: no schedule ({status})", "{n}. {name}：无可行方案（{status}）"),
    "limit.seats": ("seats — every section it may open is open (max_sections × max_size)",
                    "名额——可开设的班级均已开设（max_sections × max_size）"),
    "limit.staff": ("staff with its skill free at the children's times",
                    "在这些学生的时段有空且具备技能的人员"),
    "limit.rooms": ("rooms of its type free at the children's times",
                    "在这些学生的时段空闲的所需类型场地"),
    "limit.vendor_sessions": ("its vendor's weekly sessions (max_sessions_week)",
                              "机构每周课次上限（max_sessions_week）"),
    "limit.budget": ("the budget left for one more section", "再开一个班所需的剩余经费"),
    "limit.fee_cap": ("the per-student cap on per-head fees", "每生按人头计费上限"),
    "limit.min_size": ("fewer applicants than its minimum size", "报名人数不足最低开班人数"),
    "limit.vendor": ("its vendor may not serve", "机构不具备资格"),
    "advice.rank": ("Rank", "排名"),
    "advice.change": ("Change (scenario)", "调整（情景）"),
    "advice.activity": ("Activity", "活动"),
    "advice.gained": ("Children with a choice gained", "新增有志愿学生"),
    "advice.first": ("First choices gained", "新增第一志愿"),
    "advice.cost": ("Cost change (yuan a term)", "费用变化（元/学期）"),
    "advice.status": ("Solve", "求解状态"),
    "advice.limit": ("Limit", "限制"),
    "advice.children": ("Children held back", "受限学生"),
    # --- Warnings ---------------------------------------------------------------------
    "warnings.title": ("What validation warned about (the schedule goes ahead without it)",
                       "校验提示（方案已排除这些项）"),
    "warnings.none": ("Validation found nothing to warn about.", "校验没有发现问题。"),
    "level": ("Level", "级别"),
    "sheet": ("Sheet", "工作表"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "problem": ("Problem", "问题"),
    "level.warning": ("warning", "警告"),
    "level.error": ("error", "错误"),
}


class Labels:
    """The words of one language: ``labels("key", **params)``."""

    _DAYS_ZH = ("周一", "周二", "周三", "周四", "周五")
    _DAYS_LONG = (("Monday", "星期一"), ("Tuesday", "星期二"), ("Wednesday", "星期三"),
                  ("Thursday", "星期四"), ("Friday", "星期五"))

    def __init__(self, lang: str) -> None:
        self._index = language_index(lang)
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return render(TEXT, key, self.lang, params)

    def has(self, key: str) -> bool:
        return key in TEXT

    def sheet(self, key: str) -> str:
        return self(f"sheet.{key}")

    def day(self, day: int) -> str:
        return self._DAYS_ZH[day] if self.lang == "zh" else DAYS[day]

    def day_long(self, day: int) -> str:
        return self._DAYS_LONG[day][self._index]

    def days(self, days: Iterable[int]) -> str:
        return self("list_sep").join(self.day(d) for d in sorted(days))

    def days_compact(self, days: Iterable[int]) -> str:
        """``Mon Wed Fri`` / ``周一三五``: a narrow column's way of saying the days."""
        listed = sorted(set(days))
        if self.lang == "zh":
            return "周" + "".join(self._DAYS_ZH[d][1] for d in listed) if listed else ""
        return " ".join(DAYS[d] for d in listed)

    def date_head(self, date: dt.date) -> str:
        """A sign-in column's head: ``9/1`` over the weekday."""
        return f"{date.month}/{date.day}\n{self.day(date.weekday())}"

    def date_short(self, date: dt.date) -> str:
        return f"{date.month}/{date.day}" if self.lang == "en" else f"{date.month}月{date.day}日"

    def slot(self, day: int, period: int) -> str:
        return self("slot", day=self.day(day), period=period)

    def category(self, category: str) -> str:
        key = f"cat.{category}"
        return self(key) if key in TEXT else category

    def role(self, role: str) -> str:
        key = f"role.{role}"
        return self(key) if key in TEXT else role.replace("_", " ")

    def room_type(self, room_type: str) -> str:
        """A room's type in words; a type list (``lab, art``) word by word; a school's own
        word that the table does not know passes through."""
        words = [w.strip() for w in room_type.replace("，", ",").split(",") if w.strip()]
        return self("list_sep").join(
            self(f"rtype.{w.lower()}") if f"rtype.{w.lower()}" in TEXT else w for w in words)

    def ordinal(self, rank: int) -> str:
        """``1st choice`` / ``第1志愿``."""
        key = f"ordinal.{rank}"
        return self("choice_ord", ordinal=self(key) if key in TEXT else str(rank), rank=rank)

    def status(self, status: str) -> str:
        key = f"status.{status}"
        return self(key) if key in TEXT else status

    def kpi(self, name: str) -> str:
        key = f"kpi.{name}"
        return self(key) if key in TEXT else name.replace("_", " ")

    def goal(self, name: str) -> str:
        key = f"goal.{name}"
        return self(key) if key in TEXT else name.replace("_", " ")

    @staticmethod
    def section(activity_name: str, letter: str) -> str:
        """``Chess B``: the activity, and the section's letter when it has siblings."""
        return f"{activity_name} {letter}" if letter else activity_name

    def yes_no(self, value: bool) -> str:
        return self("yes") if value else self("no")

    @staticmethod
    def span(start: int | None, end: int | None) -> str:
        if start is None or end is None:
            return ""
        return f"{format_time(start)}–{format_time(end)}"

    def grades(self, grades: Iterable[int]) -> str:
        listed = sorted(set(grades))
        return self("list_sep").join(self("grade_n", grade=g) for g in listed)
