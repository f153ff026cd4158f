/*
 * bpgen: writes synthetic budget units in the JSON form of docs/model.md, for batch runs,
 * pagination tests and benchmarks.
 *
 * A unit is derived from a seed number and an index alone: the same arguments always give
 * byte-identical files. The tool has its own PRNG (splitmix64) and touches neither rand(), the
 * clock nor the locale, and builds every JSON object in a fixed order.
 *
 * The units look like real 2022 disclosures of a 秦皇岛 district: real function and economic
 * classification codes and names (extended with synthetic but well-formed codes when a huge
 * 支出总表 is asked for), amounts that add up in every table, and narrative paragraphs whose
 * figures match the tables. Options can make the text very long or break one unit in a chosen
 * way, so that batch tests see every kind of failure.
 *
 * Amounts are exact integers of hundredths (分 of the money unit) throughout; floats never
 * touch them.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "bpgen_kind.h"
#include "bpgen_util.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Options ---- */

typedef enum defect_kind {
    DEFECT_NONE,
    DEFECT_SYNTAX,
    DEFECT_SCHEMA,
    DEFECT_SUM,
    DEFECT_GLYPH,
} defect_kind;

static const char *const defect_names[] = {"none", "syntax", "schema", "sum", "glyph"};

typedef struct options {
    uint64_t seed;
    long rows;     /* 0: a realistic 15 to 40 */
    long projects; /* 绩效目标表 count */
    long count;    /* 0: one unit */
    long defect_every;
    bool long_text;
    defect_kind defect;
    const char *output; /* NULL: stdout */
    const char *from;   /* --from: units of this unit's kind (bpgen_kind.c) */
    const char *layout; /* --layout: that kind's layout */
} options;

enum { MAX_ROWS = 250000, MAX_PROJECTS = 100000, MAX_COUNT = 1000000 };

static void usage(FILE *out)
{
    fputs(
        "usage: bpgen [--seed N] [--rows N] [--long-text] [--projects N] [--defect KIND] "
        "[-o FILE]\n"
        "       bpgen --count N [--seed S] [same options] [--defect-every K] -o DIR\n"
        "       bpgen --from UNIT.json [--layout FILE] [--seed N] [--rows N] [--count N] -o OUT\n",
        out);
}

static void help(void)
{
    usage(stdout);
    fputs(
        "\n"
        "Writes synthetic budget units (docs/model.md) for batch runs, pagination tests and\n"
        "benchmarks. The same arguments always give byte-identical output.\n"
        "\n"
        "options:\n"
        "  --seed N          seed number (default 1); with --count, unit i is derived from\n"
        "                    (N, i), and a single unit is the same as unit 0 of a batch\n"
        "  --rows N          at least N rows (类, 款 and 项) in 支出总表; default a realistic\n"
        "                    15 to 40. Real 2022 codes come first; beyond them, synthetic but\n"
        "                    well-formed codes. Up to 250000\n"
        "  --long-text       some row names of 100 to 300 characters, indicator descriptions\n"
        "                    and targets of 300 to 1,000, and a few very long paragraphs\n"
        "  --projects N      number of 绩效目标表 (default 20)\n"
        "  --from UNIT.json  units of the kind UNIT names (docs/kinds.md), made from UNIT: each\n"
        "                    under another code and name, its ledgers grown by splitting rows\n"
        "                    (parents, identities and the original's residues unchanged, so\n"
        "                    check says of each what it says of UNIT); with --rows N, at\n"
        "                    least N rows in each ledger where its 款 have room (99 项\n"
        "                    each; a shortfall is said)\n"
        "  --layout FILE     the kind's layout (default ../layouts/KIND.json beside UNIT)\n"
        "  --defect KIND     break the unit: syntax (JSON cut off mid-file), schema (one\n"
        "                    amount written \"3l.00\"), sum (one 类 row of 支出总表 off by 0.10),\n"
        "                    glyph (U+E000, a private-use character, in a row name). With\n"
        "                    --count every unit is broken, unless --defect-every is given\n"
        "  --count N         write N units into the directory given by -o (created if\n"
        "                    missing), named <unit code>-<year>.json\n"
        "  --defect-every K  with --count: break every K-th unit (the K-th, 2K-th, ...),\n"
        "                    cycling through syntax, schema, sum, glyph (or only the kind\n"
        "                    given by --defect)\n"
        "  -o PATH           output file, or directory with --count; without it, a single\n"
        "                    unit goes to stdout\n"
        "  --help            this text\n"
        "\n"
        "exit status: 0 written, 1 a file could not be written, 2 bad arguments\n",
        stdout);
}

static bool parse_number(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_seed(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

static bool parse_defect(const char *s, defect_kind *out)
{
    for (size_t i = DEFECT_SYNTAX; s && i < COUNT_OF(defect_names); i++) {
        if (strcmp(s, defect_names[i]) == 0) {
            *out = (defect_kind)i;
            return true;
        }
    }
    return false;
}

static int bad_argument(const char *fmt, const char *arg)
{
    fputs("bpgen: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputc('\n', stderr);
    usage(stderr);
    return EXIT_USAGE;
}

/* Reads the value of an option that takes one; returns NULL when it is missing. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* Returns -1 when parsing succeeded and the caller should run, otherwise an exit status. */
static int parse_options(int argc, char **argv, options *opt)
{
    *opt = (options){.seed = 1, .projects = 20};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            help();
            return EXIT_OK;
        } else if (strcmp(arg, "--long-text") == 0) {
            opt->long_text = true;
        } else if (strcmp(arg, "--seed") == 0) {
            if (!parse_seed(option_value(argc, argv, &i), &opt->seed))
                return bad_argument("--seed needs a number from 0 to 18446744073709551615", NULL);
        } else if (strcmp(arg, "--rows") == 0) {
            if (!parse_number(option_value(argc, argv, &i), 1, MAX_ROWS, &opt->rows))
                return bad_argument("--rows needs a number from 1 to 250000", NULL);
        } else if (strcmp(arg, "--projects") == 0) {
            if (!parse_number(option_value(argc, argv, &i), 0, MAX_PROJECTS, &opt->projects))
                return bad_argument("--projects needs a number from 0 to 100000", NULL);
        } else if (strcmp(arg, "--count") == 0) {
            if (!parse_number(option_value(argc, argv, &i), 1, MAX_COUNT, &opt->count))
                return bad_argument("--count needs a number from 1 to 1000000", NULL);
        } else if (strcmp(arg, "--defect-every") == 0) {
            if (!parse_number(option_value(argc, argv, &i), 1, MAX_COUNT, &opt->defect_every))
                return bad_argument("--defect-every needs a number from 1 to 1000000", NULL);
        } else if (strcmp(arg, "--defect") == 0) {
            if (!parse_defect(option_value(argc, argv, &i), &opt->defect))
                return bad_argument("--defect needs one of syntax, schema, sum, glyph", NULL);
        } else if (strcmp(arg, "--from") == 0 || strcmp(arg, "--layout") == 0) {
            const char **slot = arg[2] == 'f' ? &opt->from : &opt->layout;
            *slot = option_value(argc, argv, &i);
            if (!*slot || !**slot)
                return bad_argument("%s needs a file name", arg);
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            opt->output = option_value(argc, argv, &i);
            if (!opt->output || !*opt->output)
                return bad_argument("-o needs a file or directory name", NULL);
        } else {
            return bad_argument("unknown argument \"%s\"", arg);
        }
    }
    if (opt->layout && !opt->from)
        return bad_argument("--layout works with --from only", NULL);
    if (opt->from && (opt->long_text || opt->defect != DEFECT_NONE || opt->defect_every))
        return bad_argument("--from takes --seed, --rows, --count and -o only", NULL);
    if (opt->defect_every && !opt->count)
        return bad_argument("--defect-every works with --count only", NULL);
    if (opt->count && !opt->output)
        return bad_argument("--count needs -o DIR, the directory to write the units into", NULL);
    return -1;
}

/* ---- Generation context: the PRNG stream of one unit and its options ---- */

typedef struct gen {
    rng rng;
    const options *opt;
    bool failed; /* out of memory somewhere; checked once the unit is built */
} gen;

/* ---- Amounts: exact hundredths, printed "123.45" ---- */

typedef int64_t cents;

static void format_amount(char *buf, size_t size, cents v)
{
    const char *sign = v < 0 ? "-" : "";
    uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(buf, size, "%s%" PRIu64 ".%02u", sign, magnitude / 100, (unsigned)(magnitude % 100));
}

/* ---- Vocabulary: 2022 government revenue and expenditure classification (政府收支分类科目) ----
 *
 * Only entries whose code and name are certain; a huge 支出总表 extends them with synthetic
 * codes (see the selection below). */

typedef struct code_name {
    const char *code;
    const char *name;
} code_name;

/* Every function 类; the two-sided tables list all of them, in this order. */
static const code_name function_classes[] = {
    {"201", "一般公共服务支出"},
    {"202", "外交支出"},
    {"203", "国防支出"},
    {"204", "公共安全支出"},
    {"205", "教育支出"},
    {"206", "科学技术支出"},
    {"207", "文化旅游体育与传媒支出"},
    {"208", "社会保障和就业支出"},
    {"209", "社会保险基金支出"},
    {"210", "卫生健康支出"},
    {"211", "节能环保支出"},
    {"212", "城乡社区支出"},
    {"213", "农林水支出"},
    {"214", "交通运输支出"},
    {"215", "资源勘探工业信息等支出"},
    {"216", "商业服务业等支出"},
    {"217", "金融支出"},
    {"219", "援助其他地区支出"},
    {"220", "自然资源海洋气象等支出"},
    {"221", "住房保障支出"},
    {"222", "粮油物资储备支出"},
    {"223", "国有资本经营预算支出"},
    {"224", "灾害防治及应急管理支出"},
    {"227", "预备费"},
    {"229", "其他支出"},
    {"230", "转移性支出"},
    {"231", "债务还本支出"},
    {"232", "债务付息支出"},
    {"233", "债务发行费用支出"},
    {"234", "抗疫特别国债安排的支出"},
};

enum { CLASS_COUNT = COUNT_OF(function_classes) };

/* The common 项 of an administrative 款: 行政运行, 一般行政管理事务, 机关服务. */
#define ADMIN3(k)                                                                                  \
    {k "01", "行政运行"}, {k "02", "一般行政管理事务"},                                            \
    {                                                                                              \
        k "03", "机关服务"                                                                     \
    }

/* 款 and 项, in code order (which is also the order tables print them in). */
static const code_name function_entries[] = {
    {"20101", "人大事务"},
    ADMIN3("20101"),
    {"2010104", "人大会议"},
    {"2010105", "人大立法"},
    {"2010106", "人大监督"},
    {"2010107", "人大代表履职能力提升"},
    {"2010108", "代表工作"},
    {"2010109", "人大信访工作"},
    {"2010150", "事业运行"},
    {"2010199", "其他人大事务支出"},
    {"20102", "政协事务"},
    ADMIN3("20102"),
    {"2010204", "政协会议"},
    {"2010205", "委员视察"},
    {"2010206", "参政议政"},
    {"2010250", "事业运行"},
    {"2010299", "其他政协事务支出"},
    {"20103", "政府办公厅（室）及相关机构事务"},
    ADMIN3("20103"),
    {"2010304", "专项服务"},
    {"2010305", "专项业务及机关事务管理"},
    {"2010306", "政务公开审批"},
    {"2010308", "信访事务"},
    {"2010309", "参事事务"},
    {"2010350", "事业运行"},
    {"2010399", "其他政府办公厅（室）及相关机构事务支出"},
    {"20104", "发展与改革事务"},
    ADMIN3("20104"),
    {"2010404", "战略规划与实施"},
    {"2010405", "日常经济运行调节"},
    {"2010406", "社会事业发展规划"},
    {"2010407", "经济体制改革研究"},
    {"2010408", "物价管理"},
    {"2010450", "事业运行"},
    {"2010499", "其他发展与改革事务支出"},
    {"20105", "统计信息事务"},
    ADMIN3("20105"),
    {"2010504", "信息事务"},
    {"2010505", "专项统计业务"},
    {"2010506", "统计管理"},
    {"2010507", "专项普查活动"},
    {"2010508", "统计抽样调查"},
    {"2010550", "事业运行"},
    {"2010599", "其他统计信息事务支出"},
    {"20106", "财政事务"},
    ADMIN3("20106"),
    {"2010604", "预算改革业务"},
    {"2010605", "财政国库业务"},
    {"2010606", "财政监察"},
    {"2010607", "信息化建设"},
    {"2010608", "财政委托业务支出"},
    {"2010650", "事业运行"},
    {"2010699", "其他财政事务支出"},
    {"20108", "审计事务"},
    ADMIN3("20108"),
    {"2010804", "审计业务"},
    {"2010805", "审计管理"},
    {"2010806", "信息化建设"},
    {"2010850", "事业运行"},
    {"2010899", "其他审计事务支出"},
    {"20111", "纪检监察事务"},
    ADMIN3("20111"),
    {"2011104", "大案要案查处"},
    {"2011105", "派驻派出机构"},
    {"2011106", "巡视工作"},
    {"2011150", "事业运行"},
    {"2011199", "其他纪检监察事务支出"},
    {"20113", "商贸事务"},
    ADMIN3("20113"),
    {"2011304", "对外贸易管理"},
    {"2011305", "国际经济合作"},
    {"2011306", "外资管理"},
    {"2011307", "国内贸易管理"},
    {"2011308", "招商引资"},
    {"2011350", "事业运行"},
    {"2011399", "其他商贸事务支出"},
    {"20123", "民族事务"},
    ADMIN3("20123"),
    {"2012304", "民族工作专项"},
    {"2012350", "事业运行"},
    {"2012399", "其他民族事务支出"},
    {"20126", "档案事务"},
    ADMIN3("20126"),
    {"2012604", "档案馆"},
    {"2012699", "其他档案事务支出"},
    {"20128", "民主党派及工商联事务"},
    ADMIN3("20128"),
    {"2012804", "参政议政"},
    {"2012850", "事业运行"},
    {"2012899", "其他民主党派及工商联事务支出"},
    {"20129", "群众团体事务"},
    ADMIN3("20129"),
    {"2012950", "事业运行"},
    {"2012999", "其他群众团体事务支出"},
    {"20131", "党委办公厅（室）及相关机构事务"},
    ADMIN3("20131"),
    {"2013105", "专项业务"},
    {"2013150", "事业运行"},
    {"2013199", "其他党委办公厅（室）及相关机构事务支出"},
    {"20132", "组织事务"},
    ADMIN3("20132"),
    {"2013204", "公务员事务"},
    {"2013250", "事业运行"},
    {"2013299", "其他组织事务支出"},
    {"20133", "宣传事务"},
    ADMIN3("20133"),
    {"2013350", "事业运行"},
    {"2013399", "其他宣传事务支出"},
    {"20134", "统战事务"},
    ADMIN3("20134"),
    {"2013404", "宗教事务"},
    {"2013405", "华侨事务"},
    {"2013450", "事业运行"},
    {"2013499", "其他统战事务支出"},
    {"20136", "其他共产党事务支出"},
    ADMIN3("20136"),
    {"2013650", "事业运行"},
    {"2013699", "其他共产党事务支出"},
    {"20138", "市场监督管理事务"},
    ADMIN3("20138"),
    {"2013804", "市场主体管理"},
    {"2013805", "市场秩序执法"},
    {"2013808", "信息化建设"},
    {"2013810", "质量基础"},
    {"2013812", "药品事务"},
    {"2013816", "食品安全监管"},
    {"2013850", "事业运行"},
    {"2013899", "其他市场监督管理事务"},
    {"20199", "其他一般公共服务支出"},
    {"2019901", "国家赔偿费用支出"},
    {"2019999", "其他一般公共服务支出"},
    {"20306", "国防动员"},
    {"2030601", "兵役征集"},
    {"2030602", "经济动员"},
    {"2030603", "人民防空"},
    {"2030604", "交通战备"},
    {"2030607", "民兵"},
    {"2030699", "其他国防动员支出"},
    {"20402", "公安"},
    ADMIN3("20402"),
    {"2040219", "信息化建设"},
    {"2040220", "执法办案"},
    {"2040221", "特别业务"},
    {"2040250", "事业运行"},
    {"2040299", "其他公安支出"},
    {"20404", "检察"},
    ADMIN3("20404"),
    {"2040450", "事业运行"},
    {"2040499", "其他检察支出"},
    {"20405", "法院"},
    ADMIN3("20405"),
    {"2040504", "案件审判"},
    {"2040505", "案件执行"},
    {"2040550", "事业运行"},
    {"2040599", "其他法院支出"},
    {"20406", "司法"},
    ADMIN3("20406"),
    {"2040604", "基层司法业务"},
    {"2040605", "普法宣传"},
    {"2040606", "律师管理"},
    {"2040607", "公共法律服务"},
    {"2040608", "国家统一法律职业资格考试"},
    {"2040610", "社区矫正"},
    {"2040612", "法治建设"},
    {"2040650", "事业运行"},
    {"2040699", "其他司法支出"},
    {"20499", "其他公共安全支出"},
    {"2049902", "国家司法救助支出"},
    {"2049999", "其他公共安全支出"},
    {"20501", "教育管理事务"},
    ADMIN3("20501"),
    {"2050199", "其他教育管理事务支出"},
    {"20502", "普通教育"},
    {"2050201", "学前教育"},
    {"2050202", "小学教育"},
    {"2050203", "初中教育"},
    {"2050204", "高中教育"},
    {"2050299", "其他普通教育支出"},
    {"20503", "职业教育"},
    {"2050302", "中等职业教育"},
    {"2050303", "技校教育"},
    {"2050399", "其他职业教育支出"},
    {"20507", "特殊教育"},
    {"2050701", "特殊学校教育"},
    {"2050799", "其他特殊教育支出"},
    {"20508", "进修及培训"},
    {"2050801", "教师进修"},
    {"2050802", "干部教育"},
    {"2050803", "培训支出"},
    {"2050899", "其他进修及培训"},
    {"20509", "教育费附加安排的支出"},
    {"2050901", "农村中小学校舍建设"},
    {"2050902", "农村中小学教学设施"},
    {"2050903", "城市中小学校舍建设"},
    {"2050904", "城市中小学教学设施"},
    {"2050999", "其他教育费附加安排的支出"},
    {"20599", "其他教育支出"},
    {"2059999", "其他教育支出"},
    {"20601", "科学技术管理事务"},
    ADMIN3("20601"),
    {"2060199", "其他科学技术管理事务支出"},
    {"20604", "技术研究与开发"},
    {"2060404", "科技成果转化与扩散"},
    {"2060499", "其他技术研究与开发支出"},
    {"20607", "科学技术普及"},
    {"2060701", "机构运行"},
    {"2060702", "科普活动"},
    {"2060703", "青少年科技活动"},
    {"2060704", "学术交流活动"},
    {"2060705", "科技馆站"},
    {"2060799", "其他科学技术普及支出"},
    {"20699", "其他科学技术支出"},
    {"2069901", "科技奖励"},
    {"2069999", "其他科学技术支出"},
    {"20701", "文化和旅游"},
    ADMIN3("20701"),
    {"2070104", "图书馆"},
    {"2070105", "文化展示及纪念机构"},
    {"2070106", "艺术表演场所"},
    {"2070107", "艺术表演团体"},
    {"2070108", "文化活动"},
    {"2070109", "群众文化"},
    {"2070110", "文化和旅游交流与合作"},
    {"2070111", "文化创作与保护"},
    {"2070112", "文化和旅游市场管理"},
    {"2070113", "旅游宣传"},
    {"2070114", "文化和旅游管理事务"},
    {"2070199", "其他文化和旅游支出"},
    {"20702", "文物"},
    ADMIN3("20702"),
    {"2070204", "文物保护"},
    {"2070205", "博物馆"},
    {"2070206", "历史名城与古迹"},
    {"2070299", "其他文物支出"},
    {"20703", "体育"},
    ADMIN3("20703"),
    {"2070304", "运动项目管理"},
    {"2070305", "体育竞赛"},
    {"2070306", "体育训练"},
    {"2070307", "体育场馆"},
    {"2070308", "群众体育"},
    {"2070399", "其他体育支出"},
    {"20708", "广播电视"},
    ADMIN3("20708"),
    {"2070899", "其他广播电视支出"},
    {"20799", "其他文化旅游体育与传媒支出"},
    {"2079902", "宣传文化发展专项支出"},
    {"2079903", "文化产业发展专项支出"},
    {"2079999", "其他文化旅游体育与传媒支出"},
    {"20801", "人力资源和社会保障管理事务"},
    ADMIN3("20801"),
    {"2080104", "综合业务管理"},
    {"2080105", "劳动保障监察"},
    {"2080106", "就业管理事务"},
    {"2080107", "社会保险业务管理事务"},
    {"2080108", "信息化建设"},
    {"2080109", "社会保险经办机构"},
    {"2080110", "劳动关系和维权"},
    {"2080111", "公共就业服务和职业技能鉴定机构"},
    {"2080112", "劳动人事争议调解仲裁"},
    {"2080150", "事业运行"},
    {"2080199", "其他人力资源和社会保障管理事务支出"},
    {"20802", "民政管理事务"},
    ADMIN3("20802"),
    {"2080206", "社会组织管理"},
    {"2080207", "行政区划和地名管理"},
    {"2080208", "基层政权建设和社区治理"},
    {"2080299", "其他民政管理事务支出"},
    {"20805", "行政事业单位养老支出"},
    {"2080501", "行政单位离退休"},
    {"2080502", "事业单位离退休"},
    {"2080503", "离退休人员管理机构"},
    {"2080505", "机关事业单位基本养老保险缴费支出"},
    {"2080506", "机关事业单位职业年金缴费支出"},
    {"2080507", "对机关事业单位基本养老保险基金的补助"},
    {"2080599", "其他行政事业单位养老支出"},
    {"20807", "就业补助"},
    {"2080701", "就业创业服务补贴"},
    {"2080702", "职业培训补贴"},
    {"2080704", "社会保险补贴"},
    {"2080705", "公益性岗位补贴"},
    {"2080709", "职业技能鉴定补贴"},
    {"2080711", "就业见习补贴"},
    {"2080712", "高技能人才培养补助"},
    {"2080713", "促进创业补贴"},
    {"2080799", "其他就业补助支出"},
    {"20808", "抚恤"},
    {"2080801", "死亡抚恤"},
    {"2080802", "伤残抚恤"},
    {"2080803", "在乡复员、退伍军人生活补助"},
    {"2080805", "义务兵优待"},
    {"2080806", "农村籍退役士兵老年生活补助"},
    {"2080899", "其他优抚支出"},
    {"20809", "退役安置"},
    {"2080901", "退役士兵安置"},
    {"2080902", "军队移交政府的离退休人员安置"},
    {"2080903", "军队移交政府离退休干部管理机构"},
    {"2080904", "退役士兵管理教育"},
    {"2080905", "军队转业干部安置"},
    {"2080999", "其他退役安置支出"},
    {"20810", "社会福利"},
    {"2081001", "儿童福利"},
    {"2081002", "老年福利"},
    {"2081003", "康复辅具"},
    {"2081004", "殡葬"},
    {"2081005", "社会福利事业单位"},
    {"2081006", "养老服务"},
    {"2081099", "其他社会福利支出"},
    {"20811", "残疾人事业"},
    ADMIN3("20811"),
    {"2081104", "残疾人康复"},
    {"2081105", "残疾人就业"},
    {"2081106", "残疾人体育"},
    {"2081107", "残疾人生活和护理补贴"},
    {"2081199", "其他残疾人事业支出"},
    {"20819", "最低生活保障"},
    {"2081901", "城市最低生活保障金支出"},
    {"2081902", "农村最低生活保障金支出"},
    {"20820", "临时救助"},
    {"2082001", "临时救助支出"},
    {"2082002", "流浪乞讨人员救助支出"},
    {"20821", "特困人员救助供养"},
    {"2082101", "城市特困人员救助供养支出"},
    {"2082102", "农村特困人员救助供养支出"},
    {"20825", "其他生活救助"},
    {"2082501", "其他城市生活救助"},
    {"2082502", "其他农村生活救助"},
    {"20828", "退役军人管理事务"},
    ADMIN3("20828"),
    {"2082804", "拥军优属"},
    {"2082805", "军供保障"},
    {"2082850", "事业运行"},
    {"2082899", "其他退役军人事务管理支出"},
    {"21001", "卫生健康管理事务"},
    ADMIN3("21001"),
    {"2100199", "其他卫生健康管理事务支出"},
    {"21002", "公立医院"},
    {"2100201", "综合医院"},
    {"2100202", "中医（民族）医院"},
    {"2100203", "传染病医院"},
    {"2100204", "职业病防治医院"},
    {"2100205", "精神病医院"},
    {"2100206", "妇幼保健医院"},
    {"2100207", "儿童医院"},
    {"2100208", "其他专科医院"},
    {"2100209", "福利医院"},
    {"2100210", "行业医院"},
    {"2100211", "处理医疗欠费"},
    {"2100212", "康复医院"},
    {"2100299", "其他公立医院支出"},
    {"21003", "基层医疗卫生机构"},
    {"2100301", "城市社区卫生机构"},
    {"2100302", "乡镇卫生院"},
    {"2100399", "其他基层医疗卫生机构支出"},
    {"21004", "公共卫生"},
    {"2100401", "疾病预防控制机构"},
    {"2100402", "卫生监督机构"},
    {"2100403", "妇幼保健机构"},
    {"2100404", "精神卫生机构"},
    {"2100405", "应急救治机构"},
    {"2100406", "采供血机构"},
    {"2100407", "其他专业公共卫生机构"},
    {"2100408", "基本公共卫生服务"},
    {"2100409", "重大公共卫生服务"},
    {"2100410", "突发公共卫生事件应急处理"},
    {"2100499", "其他公共卫生支出"},
    {"21007", "计划生育事务"},
    {"2100716", "计划生育机构"},
    {"2100717", "计划生育服务"},
    {"2100799", "其他计划生育事务支出"},
    {"21011", "行政事业单位医疗"},
    {"2101101", "行政单位医疗"},
    {"2101102", "事业单位医疗"},
    {"2101103", "公务员医疗补助"},
    {"2101199", "其他行政事业单位医疗支出"},
    {"21012", "财政对基本医疗保险基金的补助"},
    {"2101201", "财政对职工基本医疗保险基金的补助"},
    {"2101202", "财政对城乡居民基本医疗保险基金的补助"},
    {"21013", "医疗救助"},
    {"2101301", "城乡医疗救助"},
    {"2101302", "疾病应急救助"},
    {"2101399", "其他医疗救助支出"},
    {"21014", "优抚对象医疗"},
    {"2101401", "优抚对象医疗补助"},
    {"2101499", "其他优抚对象医疗支出"},
    {"21015", "医疗保障管理事务"},
    ADMIN3("21015"),
    {"2101504", "信息化建设"},
    {"2101505", "医疗保障政策管理"},
    {"2101506", "医疗保障经办事务"},
    {"2101550", "事业运行"},
    {"2101599", "其他医疗保障管理事务支出"},
    {"21101", "环境保护管理事务"},
    ADMIN3("21101"),
    {"2110104", "生态环境保护宣传"},
    {"2110105", "环境保护法规、规划及标准"},
    {"2110106", "生态环境国际合作及履约"},
    {"2110107", "生态环境保护行政许可"},
    {"2110108", "应对气候变化管理事务"},
    {"2110199", "其他环境保护管理事务支出"},
    {"21102", "环境监测与监察"},
    {"2110203", "建设项目环评审查与监督"},
    {"2110204", "核与辐射安全监督"},
    {"2110299", "其他环境监测与监察支出"},
    {"21103", "污染防治"},
    {"2110301", "大气"},
    {"2110302", "水体"},
    {"2110303", "噪声"},
    {"2110304", "固体废弃物与化学品"},
    {"2110305", "放射源和放射性废物监管"},
    {"2110306", "辐射"},
    {"2110307", "土壤"},
    {"2110399", "其他污染防治支出"},
    {"21104", "自然生态保护"},
    {"2110401", "生态保护"},
    {"2110402", "农村环境保护"},
    {"2110404", "生物及物种资源保护"},
    {"2110499", "其他自然生态保护支出"},
    {"21111", "污染减排"},
    {"2111101", "生态环境监测与信息"},
    {"2111102", "生态环境执法监察"},
    {"2111103", "减排专项支出"},
    {"2111104", "清洁生产专项支出"},
    {"2111199", "其他污染减排支出"},
    {"21201", "城乡社区管理事务"},
    ADMIN3("21201"),
    {"2120104", "城管执法"},
    {"2120105", "工程建设标准规范编制与监管"},
    {"2120106", "工程建设管理"},
    {"2120107", "市政公用行业市场监管"},
    {"2120109", "住宅建设与房地产市场监管"},
    {"2120110", "执业资格注册、资质审查"},
    {"2120199", "其他城乡社区管理事务支出"},
    {"21202", "城乡社区规划与管理"},
    {"2120201", "城乡社区规划与管理"},
    {"21203", "城乡社区公共设施"},
    {"2120303", "小城镇基础设施建设"},
    {"2120399", "其他城乡社区公共设施支出"},
    {"21205", "城乡社区环境卫生"},
    {"2120501", "城乡社区环境卫生"},
    {"21206", "建设市场管理与监督"},
    {"2120601", "建设市场管理与监督"},
    {"21301", "农业农村"},
    ADMIN3("21301"),
    {"2130104", "事业运行"},
    {"2130106", "科技转化与推广服务"},
    {"2130108", "病虫害控制"},
    {"2130109", "农产品质量安全"},
    {"2130110", "执法监管"},
    {"2130111", "统计监测与信息服务"},
    {"2130119", "防灾救灾"},
    {"2130122", "农业生产发展"},
    {"2130124", "农村合作经济"},
    {"2130126", "农村社会事业"},
    {"2130135", "农业资源保护修复与利用"},
    {"2130142", "农村道路建设"},
    {"2130148", "渔业发展"},
    {"2130153", "农田建设"},
    {"2130199", "其他农业农村支出"},
    {"21302", "林业和草原"},
    ADMIN3("21302"),
    {"2130204", "事业机构"},
    {"2130205", "森林资源培育"},
    {"2130206", "技术推广与转化"},
    {"2130207", "森林资源管理"},
    {"2130209", "森林生态效益补偿"},
    {"2130299", "其他林业和草原支出"},
    {"21303", "水利"},
    ADMIN3("21303"),
    {"2130304", "水利行业业务管理"},
    {"2130305", "水利工程建设"},
    {"2130306", "水利工程运行与维护"},
    {"2130309", "水利执法监督"},
    {"2130310", "水土保持"},
    {"2130311", "水资源节约管理与保护"},
    {"2130314", "防汛"},
    {"2130315", "抗旱"},
    {"2130316", "农村水利"},
    {"2130399", "其他水利支出"},
    {"21305", "巩固脱贫攻坚成果衔接乡村振兴"},
    ADMIN3("21305"),
    {"2130504", "农村基础设施建设"},
    {"2130505", "生产发展"},
    {"2130506", "社会发展"},
    {"2130550", "事业运行"},
    {"2130599", "其他巩固脱贫攻坚成果衔接乡村振兴支出"},
    {"21307", "农村综合改革"},
    {"2130701", "对村级公益事业建设的补助"},
    {"2130705", "对村民委员会和村党支部的补助"},
    {"2130706", "对村集体经济组织的补助"},
    {"2130707", "农村综合改革示范试点补助"},
    {"2130799", "其他农村综合改革支出"},
    {"21308", "普惠金融发展支出"},
    {"2130803", "农业保险保费补贴"},
    {"2130804", "创业担保贷款贴息"},
    {"2130899", "其他普惠金融发展支出"},
    {"21401", "公路水路运输"},
    ADMIN3("21401"),
    {"2140104", "公路建设"},
    {"2140106", "公路养护"},
    {"2140110", "公路和运输安全"},
    {"2140112", "公路运输管理"},
    {"2140199", "其他公路水路运输支出"},
    {"21505", "工业和信息产业监管"},
    ADMIN3("21505"),
    {"2150599", "其他工业和信息产业监管支出"},
    {"21508", "支持中小企业发展和管理支出"},
    ADMIN3("21508"),
    {"2150805", "中小企业发展专项"},
    {"2150899", "其他支持中小企业发展和管理支出"},
    {"21602", "商业流通事务"},
    ADMIN3("21602"),
    {"2160299", "其他商业流通事务支出"},
    {"21701", "金融部门行政支出"},
    ADMIN3("21701"),
    {"2170150", "事业运行"},
    {"2170199", "金融部门其他行政支出"},
    {"22001", "自然资源事务"},
    ADMIN3("22001"),
    {"2200104", "自然资源规划及管理"},
    {"2200106", "自然资源利用与保护"},
    {"2200107", "自然资源社会公益服务"},
    {"2200108", "自然资源行业业务管理"},
    {"2200109", "自然资源调查与确权登记"},
    {"2200112", "土地资源储备支出"},
    {"2200150", "事业运行"},
    {"2200199", "其他自然资源事务支出"},
    {"22005", "气象事务"},
    ADMIN3("22005"),
    {"2200504", "气象事业机构"},
    {"2200599", "其他气象事务支出"},
    {"22101", "保障性安居工程支出"},
    {"2210101", "廉租住房"},
    {"2210103", "棚户区改造"},
    {"2210105", "农村危房改造"},
    {"2210106", "公共租赁住房"},
    {"2210107", "保障性住房租金补贴"},
    {"2210108", "老旧小区改造"},
    {"2210199", "其他保障性安居工程支出"},
    {"22102", "住房改革支出"},
    {"2210201", "住房公积金"},
    {"2210202", "提租补贴"},
    {"2210203", "购房补贴"},
    {"22103", "城乡社区住宅"},
    {"2210301", "公有住房建设和维修改造支出"},
    {"2210302", "住房公积金管理"},
    {"2210399", "其他城乡社区住宅支出"},
    {"22201", "粮油物资事务"},
    ADMIN3("22201"),
    {"2220150", "事业运行"},
    {"2220199", "其他粮油物资事务支出"},
    {"22401", "应急管理事务"},
    ADMIN3("22401"),
    {"2240104", "灾害风险防治"},
    {"2240105", "国务院安委会专项"},
    {"2240106", "安全监管"},
    {"2240108", "应急救援"},
    {"2240109", "应急管理"},
    {"2240150", "事业运行"},
    {"2240199", "其他应急管理支出"},
    {"22402", "消防救援事务"},
    ADMIN3("22402"),
    {"2240204", "消防应急救援"},
    {"2240299", "其他消防救援事务支出"},
    {"22406", "自然灾害防治"},
    {"2240601", "地质灾害防治"},
    {"2240602", "森林草原防灾减灾"},
    {"2240699", "其他自然灾害防治支出"},
    {"22407", "自然灾害救灾及恢复重建支出"},
    {"2240703", "自然灾害救灾补助"},
    {"2240704", "自然灾害灾后重建补助"},
    {"2240799", "其他自然灾害救灾及恢复重建支出"},
    {"22999", "其他支出"},
    {"2299901", "其他支出"},
};

#undef ADMIN3

/* Economic classification (部门经济分类) of 基本支出. 301 and 303 are 人员经费, 302 公用经费. */
static const code_name economic_entries[] = {
    {"301", "工资福利支出"},
    {"30101", "基本工资"},
    {"30102", "津贴补贴"},
    {"30103", "奖金"},
    {"30106", "伙食补助费"},
    {"30107", "绩效工资"},
    {"30108", "机关事业单位基本养老保险缴费"},
    {"30109", "职业年金缴费"},
    {"30110", "职工基本医疗保险缴费"},
    {"30111", "公务员医疗补助缴费"},
    {"30112", "其他社会保障缴费"},
    {"30113", "住房公积金"},
    {"30199", "其他工资福利支出"},
    {"302", "商品和服务支出"},
    {"30201", "办公费"},
    {"30202", "印刷费"},
    {"30203", "咨询费"},
    {"30204", "手续费"},
    {"30205", "水费"},
    {"30206", "电费"},
    {"30207", "邮电费"},
    {"30208", "取暖费"},
    {"30209", "物业管理费"},
    {"30211", "差旅费"},
    {"30213", "维修(护)费"},
    {"30214", "租赁费"},
    {"30215", "会议费"},
    {"30216", "培训费"},
    {"30217", "公务接待费"},
    {"30218", "专用材料费"},
    {"30226", "劳务费"},
    {"30227", "委托业务费"},
    {"30228", "工会经费"},
    {"30229", "福利费"},
    {"30231", "公务用车运行维护费"},
    {"30239", "其他交通费用"},
    {"30299", "其他商品和服务支出"},
    {"303", "对个人和家庭的补助"},
    {"30301", "离休费"},
    {"30302", "退休费"},
    {"30305", "生活补助"},
    {"30307", "医疗费补助"},
    {"30309", "奖励金"},
    {"30399", "其他对个人和家庭的补助"},
};

enum { ECONOMIC_COUNT = COUNT_OF(economic_entries) };

/* Index of a code in a table sorted by code, or -1. Codes of different lengths sort as the
 * tables print them ("201" < "20101" < "2010101" < "20102"), so one table serves every level. */
static long find_code(const code_name *table, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(table[mid].code, code);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The binary search needs sorted tables; a mistake in editing them is caught on every run. */
static bool table_is_sorted(const code_name *table, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(table[i - 1].code, table[i].code) >= 0)
            return false;
    return true;
}

static const char *function_name(const char *code)
{
    long i = find_code(function_entries, COUNT_OF(function_entries), code);
    return i < 0 ? NULL : function_entries[i].name;
}

/* ---- Text buffer: a growable string; a failed allocation is remembered, not reported at once
 * (the caller checks once when the text is complete) ---- */

typedef struct textbuf {
    char *data;
    size_t len, cap;
    bool failed;
} textbuf;

static bool text_reserve(textbuf *t, size_t extra)
{
    if (t->failed)
        return false;
    if (t->len + extra + 1 <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->len + extra + 1)
        cap *= 2;
    char *data = realloc(t->data, cap);
    if (!data) {
        t->failed = true;
        return false;
    }
    t->data = data;
    t->cap = cap;
    return true;
}

static void text_add(textbuf *t, const char *s)
{
    size_t n = strlen(s);
    if (!text_reserve(t, n))
        return;
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

static void text_addf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_addf(textbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !text_reserve(t, (size_t)n)) {
        t->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void text_clear(textbuf *t)
{
    t->len = 0;
    if (t->data)
        t->data[0] = '\0';
}

static void text_free(textbuf *t)
{
    free(t->data);
    *t = (textbuf){0};
}

/* Characters, not bytes: the lengths asked of long texts are in characters. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* A heap copy of what the buffer holds, or NULL. */
static char *text_take_copy(const textbuf *t)
{
    if (t->failed)
        return NULL;
    const char *s = t->data ? t->data : "";
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, s, n + 1);
    return copy;
}

#define PICK(g, array) ((array)[rng_below(&(g)->rng, COUNT_OF(array))])

/* ---- Who reports: regions and departments ---- */

typedef struct region {
    const char *name;
    bool zone; /* a development zone: its organs are 工作委员会 and 管理委员会 */
} region;

static const region regions[] = {
    {"秦皇岛经济技术开发区", true},
    {"北戴河新区", true},
    {"秦皇岛市海港区", false},
    {"秦皇岛市山海关区", false},
    {"秦皇岛市北戴河区", false},
    {"秦皇岛市抚宁区", false},
    {"昌黎县", false},
    {"卢龙县", false},
    {"青龙满族自治县", false},
};

typedef enum org_kind {
    ORG_GOVERNMENT, /* region + name: 秦皇岛市海港区财政局 */
    ORG_GOV_OFFICE, /* region + 管理委员会/人民政府 + 办公室 */
    ORG_PARTY,      /* 中共 + region + 工作委员会/委员会 + name */
    ORG_DISCIPLINE, /* 中共 + region + 纪律检查(工作)委员会 */
} org_kind;

typedef struct department {
    org_kind kind;
    const char *name;
    const char *kuan;      /* the 款 its 行政运行 stands under */
    const char *field;     /* what it works on, for the narrative */
    const char *duties[3]; /* its own duties; general ones are added */
    const char *topics[4]; /* subjects of its projects */
} department;

static const department departments[] = {
    {ORG_PARTY,
     "办公室",
     "20131",
     "综合协调和服务保障",
     {"负责推动上级决策部署的落实，协调有关方面开展工作，承担运行保障具体事务",
      "负责文件、领导讲话稿的起草、审核和公文管理工作", "负责保密机要、督查督办和值班工作"},
     {"保密管理", "督查督办", "档案管理", "机关党建"}},
    {ORG_DISCIPLINE,
     "",
     "20111",
     "纪检监察",
     {"负责维护党的章程和其他党内法规，检查党的路线方针政策和决议的执行情况",
      "负责受理检举控告，查处违纪违法案件", "负责开展党风廉政建设和反腐败宣传教育"},
     {"案件查办", "廉政教育", "巡察监督", "信访举报"}},
    {ORG_PARTY,
     "组织部",
     "20132",
     "组织人事",
     {"负责领导班子和干部队伍建设的规划和管理", "负责基层党组织建设和党员队伍建设",
      "负责干部教育培训和人才工作的统筹协调"},
     {"干部教育培训", "基层党建", "人才引进", "党员教育"}},
    {ORG_PARTY,
     "宣传部",
     "20133",
     "宣传思想文化",
     {"负责理论学习、研究和宣传工作", "负责指导协调新闻宣传和舆论引导工作",
      "负责精神文明建设的统筹规划和组织协调"},
     {"理论宣讲", "文明创建", "新闻宣传", "网络舆情"}},
    {ORG_GOV_OFFICE,
     "办公室",
     "20103",
     "政务服务和综合协调",
     {"负责政府日常工作的综合协调", "负责政务信息、政务公开和电子政务工作",
      "负责信访事项的受理、交办和督办"},
     {"政务公开", "信访维稳", "电子政务", "应急值守"}},
    {ORG_GOVERNMENT,
     "财政局",
     "20106",
     "财政管理",
     {"负责编制年度预算草案并组织执行", "负责管理财政收支和政府性债务",
      "负责会计管理工作和预算绩效管理"},
     {"预算绩效评价", "财政信息化", "国库集中支付", "政府采购监管"}},
    {ORG_GOVERNMENT,
     "发展和改革局",
     "20104",
     "发展改革",
     {"负责拟订并组织实施国民经济和社会发展规划", "负责重大项目的规划、审批和统筹推进",
      "负责价格管理和经济体制改革工作"},
     {"重点项目谋划", "规划编制", "价格监测", "营商环境"}},
    {ORG_GOVERNMENT,
     "统计局",
     "20105",
     "统计调查",
     {"负责组织实施各项统计调查", "负责统计数据的收集、汇总、分析和发布", "负责统计执法检查"},
     {"经济普查", "统计调查", "统计数据质量", "统计执法"}},
    {ORG_GOVERNMENT,
     "审计局",
     "20108",
     "审计监督",
     {"负责对财政收支和国有资产进行审计监督", "负责重大项目和领导干部经济责任审计",
      "负责内部审计的业务指导和监督"},
     {"经济责任审计", "投资项目审计", "审计信息化", "专项审计调查"}},
    {ORG_GOVERNMENT,
     "市场监督管理局",
     "20138",
     "市场监督管理",
     {"负责市场综合监督管理和市场主体登记注册", "负责食品安全监督管理",
      "负责药品、特种设备和产品质量安全监管"},
     {"食品安全抽检", "特种设备检验", "市场秩序整治", "知识产权保护"}},
    {ORG_GOVERNMENT,
     "商务局",
     "20113",
     "商务和招商",
     {"负责招商引资和对外开放工作", "负责内外贸易和市场流通管理", "负责外资管理和服务"},
     {"招商引资", "外贸促进", "会展推介", "电子商务"}},
    {ORG_GOVERNMENT,
     "公安局",
     "20402",
     "公安",
     {"负责预防、制止和侦查违法犯罪活动", "负责维护社会治安秩序", "负责交通、消防和户政管理"},
     {"治安防控", "执法办案", "智慧警务", "交通安全"}},
    {ORG_GOVERNMENT,
     "司法局",
     "20406",
     "司法行政",
     {"负责法治宣传教育和普法工作", "负责人民调解、社区矫正和法律援助工作",
      "负责律师、公证等法律服务的监督管理"},
     {"普法宣传", "法律援助", "人民调解", "社区矫正"}},
    {ORG_GOVERNMENT,
     "教育局",
     "20501",
     "教育",
     {"负责拟订教育发展规划并组织实施", "负责各级各类学校的管理和督导",
      "负责教师队伍建设和教育经费管理"},
     {"教师培训", "校园安全", "教育信息化", "学生资助"}},
    {ORG_GOVERNMENT,
     "科学技术局",
     "20601",
     "科技",
     {"负责拟订科技创新政策并组织实施", "负责科技计划项目的管理", "负责科学技术普及和科技成果转化"},
     {"科技创新", "科学普及", "高新技术企业培育", "成果转化"}},
    {ORG_GOVERNMENT,
     "文化广电和旅游局",
     "20701",
     "文化和旅游",
     {"负责文化事业、文化产业和旅游业的发展规划", "负责公共文化服务和文物保护工作",
      "负责文化市场综合执法"},
     {"群众文化活动", "旅游宣传推介", "文物保护", "文化市场执法"}},
    {ORG_GOVERNMENT,
     "人力资源和社会保障局",
     "20801",
     "人力资源和社会保障",
     {"负责促进就业和职业技能培训工作", "负责社会保险政策的组织实施",
      "负责劳动关系协调和劳动保障监察"},
     {"就业服务", "职业技能培训", "劳动保障监察", "人才服务"}},
    {ORG_GOVERNMENT,
     "民政局",
     "20802",
     "民政",
     {"负责社会救助和社会福利工作", "负责基层政权建设和社区治理", "负责社会组织登记管理和养老服务"},
     {"社会救助", "养老服务", "社区治理", "殡葬管理"}},
    {ORG_GOVERNMENT,
     "退役军人事务局",
     "20828",
     "退役军人服务",
     {"负责退役军人移交安置和就业创业工作", "负责优抚对象的抚恤优待工作", "负责拥军优属和双拥工作"},
     {"拥军优属", "退役军人培训", "烈士纪念", "优抚服务"}},
    {ORG_GOVERNMENT,
     "卫生健康局",
     "21001",
     "卫生健康",
     {"负责拟订卫生健康事业发展规划", "负责疾病预防控制和公共卫生工作",
      "负责医疗机构和医疗服务的行业管理"},
     {"疾病预防控制", "基本公共卫生服务", "卫生监督", "健康教育"}},
    {ORG_GOVERNMENT,
     "医疗保障局",
     "21015",
     "医疗保障",
     {"负责医疗保险和医疗救助政策的组织实施", "负责医保基金的监督管理",
      "负责医药价格和招标采购管理"},
     {"医保基金监管", "医保经办服务", "医疗救助", "医保信息化"}},
    {ORG_GOVERNMENT,
     "生态环境局",
     "21101",
     "生态环境保护",
     {"负责生态环境保护的统一监督管理", "负责大气、水、土壤污染防治工作",
      "负责环境监测和生态环境执法"},
     {"大气污染防治", "环境监测", "生态环境执法", "环保宣传"}},
    {ORG_GOVERNMENT,
     "住房和城乡建设局",
     "21201",
     "住房和城乡建设",
     {"负责住房保障和房地产市场监管", "负责建筑业和工程质量安全监管", "负责市政公用设施建设和管理"},
     {"老旧小区改造", "工程质量监督", "市政设施维护", "建筑市场监管"}},
    {ORG_GOVERNMENT,
     "农业农村局",
     "21301",
     "农业农村",
     {"负责统筹推进乡村振兴和农业农村发展", "负责农产品质量安全监管", "负责农田建设和农业技术推广"},
     {"农业技术推广", "动物防疫", "高标准农田建设", "农产品质量检测"}},
    {ORG_GOVERNMENT,
     "水务局",
     "21303",
     "水利",
     {"负责水资源的统一管理和保护", "负责水利工程建设和运行管理", "负责防汛抗旱工作"},
     {"防汛抗旱", "河湖治理", "水土保持", "农村供水"}},
    {ORG_GOVERNMENT,
     "交通运输局",
     "21401",
     "交通运输",
     {"负责公路建设和养护管理", "负责道路运输市场监管", "负责交通运输安全生产监管"},
     {"公路养护", "运输安全监管", "农村公路建设", "公交运营"}},
    {ORG_GOVERNMENT,
     "自然资源和规划局",
     "22001",
     "自然资源和规划",
     {"负责自然资源调查监测和确权登记", "负责国土空间规划的编制和实施",
      "负责耕地保护和土地储备工作"},
     {"国土空间规划", "不动产登记", "耕地保护", "土地储备"}},
    {ORG_GOVERNMENT,
     "应急管理局",
     "22401",
     "应急管理",
     {"负责组织编制应急预案并指导演练", "负责安全生产综合监督管理",
      "负责防灾减灾救灾和应急救援工作"},
     {"安全生产检查", "应急演练", "防灾减灾", "应急物资储备"}},
};

/* ---- The unit's figures ---- */

typedef enum level { LEVEL_CLASS = 1, LEVEL_KUAN = 2, LEVEL_XIANG = 3 } level;

typedef struct fn_row {
    char code[16];
    const char *name; /* the vocabulary's, or owned (below) */
    char *owned;      /* synthetic and long names, freed with the unit */
    level level;
    bool basic_kind; /* 基本支出 (行政运行, 事业运行, social contributions), else 项目支出 */
    cents basic, project;
} fn_row;

typedef struct unit_data {
    const region *region;
    const department *dept;
    char code[16];
    char *name;
    bool retirees;        /* 303 退休费 and 2080501 行政单位离退休 */
    bool medical_subsidy; /* 30111 公务员医疗补助缴费 and 2101103 */

    fn_row *rows; /* 支出总表 rows in print order */
    size_t row_count;

    cents econ[ECONOMIC_COUNT]; /* 基本支出 by economic code; 0 is absent */
    cents basic, project, total, personnel, public_costs;

    /* 三公 items; 0 is blank */
    cents overseas_research, overseas_other, vehicle_purchase, vehicle_operation, reception;

    /* last year's figures the text compares with */
    cents prev_total, prev_personnel, prev_public, prev_project;
    cents prev_overseas, prev_vehicles, prev_reception;
} unit_data;

static void unit_data_free(unit_data *u)
{
    for (size_t i = 0; i < u->row_count; i++)
        free(u->rows[i].owned);
    free(u->rows);
    free(u->name);
    *u = (unit_data){0};
}

static cents three_public_overseas(const unit_data *u)
{
    return u->overseas_research + u->overseas_other;
}

static cents three_public_vehicles(const unit_data *u)
{
    return u->vehicle_purchase + u->vehicle_operation;
}

static cents three_public_total(const unit_data *u)
{
    return three_public_overseas(u) + three_public_vehicles(u) + u->reception;
}

/* ---- Which rows 支出总表 has: a set of 项 over every possible code ----
 *
 * A 项 slot is (类 index, 款 number 01-99, 项 number 01-99); the 款 and 类 rows follow from the
 * 项 chosen under them. Walking the slots in order gives the rows in print order, each 款 under
 * its 类 and each 项 under its 款, which `check` requires. */

enum { SLOTS_PER_CLASS = 100 * 100 };

typedef struct selection {
    unsigned char *xiang;        /* CLASS_COUNT * SLOTS_PER_CLASS flags */
    unsigned short *kuan_xiangs; /* 项 chosen per 款 slot */
    unsigned class_kuans[CLASS_COUNT];
    size_t rows; /* 类 + 款 + 项 rows that would print */
} selection;

static bool selection_init(selection *s)
{
    *s = (selection){0};
    s->xiang = calloc((size_t)CLASS_COUNT * SLOTS_PER_CLASS, 1);
    s->kuan_xiangs = calloc((size_t)CLASS_COUNT * 100, sizeof *s->kuan_xiangs);
    return s->xiang && s->kuan_xiangs;
}

static void selection_free(selection *s)
{
    free(s->xiang);
    free(s->kuan_xiangs);
}

static bool select_slot(selection *s, int cls, int kuan, int xiang)
{
    size_t slot = (size_t)cls * SLOTS_PER_CLASS + (size_t)kuan * 100 + (size_t)xiang;
    if (s->xiang[slot])
        return false;
    s->xiang[slot] = 1;
    s->rows++;
    if (s->kuan_xiangs[cls * 100 + kuan]++ == 0) {
        s->rows++;
        if (s->class_kuans[cls]++ == 0)
            s->rows++;
    }
    return true;
}

static int class_index(const char *code)
{
    char cls[4] = {code[0], code[1], code[2], '\0'};
    return (int)find_code(function_classes, CLASS_COUNT, cls);
}

static int two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Selects a 项 by its 7-digit code; false if it was already selected. */
static bool select_code(selection *s, const char *code)
{
    int cls = class_index(code);
    return cls >= 0 && select_slot(s, cls, two_digits(code + 3), two_digits(code + 5));
}

/* 项 whose 基本支出 mirrors one economic item, and that item's code. 2080501 takes all of 303
 * (the retirees' pay), marked by the 类 code. */
static const code_name mapped_xiang[] = {
    {"2080501", "303"},   {"2080505", "30108"}, {"2080506", "30109"},
    {"2101101", "30110"}, {"2101103", "30111"}, {"2210201", "30113"},
};

static const char *mapped_economic_code(const char *xiang_code)
{
    long i = find_code(mapped_xiang, COUNT_OF(mapped_xiang), xiang_code);
    return i < 0 ? NULL : mapped_xiang[i].name;
}

/* What every unit has: 行政运行 and one or two projects under its own 款, and the personnel
 * items that every payroll brings (pension, annuity, medical insurance, housing fund). */
static void select_core(gen *g, const unit_data *u, selection *s)
{
    char code[16];
    snprintf(code, sizeof code, "%s01", u->dept->kuan);
    select_code(s, code);
    long first = find_code(function_entries, COUNT_OF(function_entries), u->dept->kuan);
    size_t projects = 0, wanted = (size_t)rng_range(&g->rng, 1, 2);
    for (size_t i = (size_t)first + 1; i < COUNT_OF(function_entries) && projects < wanted; i++) {
        const code_name *e = &function_entries[i];
        if (strncmp(e->code, u->dept->kuan, 5) != 0)
            break;
        if (strcmp(e->name, "行政运行") == 0 || strcmp(e->name, "事业运行") == 0 ||
            rng_chance(&g->rng, 40))
            continue;
        select_code(s, e->code);
        projects++;
    }
    if (projects == 0) { /* 一般行政管理事务 is under every department's 款 */
        snprintf(code, sizeof code, "%s02", u->dept->kuan);
        select_code(s, code);
    }
    select_code(s, "2080505");
    select_code(s, "2080506");
    if (u->retirees)
        select_code(s, "2080501");
    select_code(s, "2101101");
    if (u->medical_subsidy)
        select_code(s, "2101103");
    select_code(s, "2210201");
}

/* Fisher-Yates over the indices of the vocabulary's 项. */
static size_t *shuffled_xiang_indices(gen *g, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT_OF(function_entries); i++)
        n += strlen(function_entries[i].code) == 7;
    size_t *order = malloc(n * sizeof *order);
    if (!order)
        return NULL;
    n = 0;
    for (size_t i = 0; i < COUNT_OF(function_entries); i++)
        if (strlen(function_entries[i].code) == 7)
            order[n++] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(&g->rng, i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    *count = n;
    return order;
}

/* Real 项 first, nearest the department's own work first: a few more of its 款, then up to
 * half of what is missing from its 类, then any. A unit of a few dozen rows so looks like a
 * real one. */
static bool fill_from_vocabulary(gen *g, const unit_data *u, selection *s, size_t target)
{
    size_t n = 0;
    size_t *order = shuffled_xiang_indices(g, &n);
    if (!order)
        return false;
    static const size_t prefix_len[] = {5, 3, 0};
    for (size_t pass = 0; pass < COUNT_OF(prefix_len); pass++) {
        size_t missing = target > s->rows ? target - s->rows : 0;
        size_t limit = pass == 0   ? (size_t)rng_range(&g->rng, 1, 4)
                       : pass == 1 ? missing / 2
                                   : missing;
        size_t added = 0;
        for (size_t i = 0; i < n && s->rows < target && added < limit; i++) {
            const char *code = function_entries[order[i]].code;
            if (strncmp(code, u->dept->kuan, prefix_len[pass]) == 0 && select_code(s, code))
                added++;
        }
    }
    free(order);
    return true;
}

/* Beyond the vocabulary: random slots, which give synthetic codes (and the odd real one). The
 * target is capped well below the slot count, so this ends quickly. */
static void fill_synthetic(gen *g, selection *s, size_t target)
{
    while (s->rows < target) {
        int cls = (int)rng_below(&g->rng, CLASS_COUNT);
        int kuan = (int)rng_range(&g->rng, 1, 99);
        int xiang = (int)rng_range(&g->rng, 1, 99);
        select_slot(s, cls, kuan, xiang);
    }
}

/* ---- Synthetic names, for codes the vocabulary lacks ---- */

static const char *const kuan_subjects[] = {
    "智慧城市建设", "营商环境优化",     "港口物流发展", "海洋经济发展", "文明城市创建",
    "基层社会治理", "数字经济发展",     "乡村振兴推进", "生态文明建设", "公共服务保障",
    "安全生产监管", "人才引进培养",     "区域协调发展", "对外开放合作", "科技创新驱动",
    "民生保障改善", "社会信用体系建设", "城市更新改造", "公共文化服务", "产业园区建设",
    "旅游服务提升", "养老服务体系建设", "应急能力建设", "数据资源管理", "政务服务改革",
};
static const char *const kuan_suffixes[] = {"事务", "管理事务", "支出"};

static const char *const xiang_subjects[] = {
    "重点项目", "专项资金", "基础设施", "信息系统", "公共服务平台", "示范点",
    "宣传教育", "监测预警", "应急保障", "标准化",   "档案资料",     "业务培训",
    "考核评价", "课题研究", "设备购置", "场所运行", "综合执法",     "志愿服务",
};
static const char *const xiang_activities[] = {"建设", "运行维护", "管理",     "补助",
                                               "奖补", "专项业务", "能力提升", "购买服务"};

static char *synthetic_kuan_name(gen *g)
{
    textbuf t = {0};
    text_add(&t, PICK(g, kuan_subjects));
    text_add(&t, PICK(g, kuan_suffixes));
    char *name = text_take_copy(&t);
    text_free(&t);
    return name;
}

/* The numbers with a fixed meaning keep it, as in the real classification: 01 行政运行, 02 一般
 * 行政管理事务, 03 机关服务, 50 事业运行, 99 其他…支出. */
static char *synthetic_xiang_name(gen *g, int number, const char *kuan_name)
{
    textbuf t = {0};
    if (number == 1)
        text_add(&t, "行政运行");
    else if (number == 2)
        text_add(&t, "一般行政管理事务");
    else if (number == 3)
        text_add(&t, "机关服务");
    else if (number == 50)
        text_add(&t, "事业运行");
    else if (number == 99) {
        size_t n = strlen(kuan_name), suffix = strlen("支出");
        bool ends_in_expense = n >= suffix && strcmp(kuan_name + n - suffix, "支出") == 0;
        text_addf(&t, "其他%.*s支出", (int)(ends_in_expense ? n - suffix : n), kuan_name);
    } else {
        text_add(&t, PICK(g, xiang_subjects));
        text_add(&t, PICK(g, xiang_activities));
    }
    char *name = text_take_copy(&t);
    text_free(&t);
    return name;
}

/* ---- Rows and amounts ---- */

static bool is_running_cost_name(const char *name)
{
    return strcmp(name, "行政运行") == 0 || strcmp(name, "事业运行") == 0;
}

/* A mapped 项 takes its economic item's amount only when the unit has that item. */
static bool mapped_active(const unit_data *u, const char *code)
{
    const char *econ = mapped_economic_code(code);
    if (!econ)
        return false;
    if (strcmp(econ, "303") == 0)
        return u->retirees;
    if (strcmp(econ, "30111") == 0)
        return u->medical_subsidy;
    return true;
}

static bool append_row(unit_data *u, const char *code, const char *name, char *owned, level lvl)
{
    fn_row *row = &u->rows[u->row_count++];
    *row = (fn_row){.name = owned ? owned : name, .owned = owned, .level = lvl};
    snprintf(row->code, sizeof row->code, "%s", code);
    if (!row->name)
        return false;
    row->basic_kind = lvl == LEVEL_XIANG &&
                      (mapped_economic_code(code) != NULL || is_running_cost_name(row->name));
    return true;
}

static bool append_kuan_rows(gen *g, unit_data *u, const selection *s, int cls, int kuan)
{
    char code[16];
    snprintf(code, sizeof code, "%.3s%02d", function_classes[cls].code, kuan);
    const char *name = function_name(code);
    if (!append_row(u, code, name, name ? NULL : synthetic_kuan_name(g), LEVEL_KUAN))
        return false;
    const char *kuan_name = u->rows[u->row_count - 1].name;
    for (int xiang = 1; xiang <= 99; xiang++) {
        if (!s->xiang[(size_t)cls * SLOTS_PER_CLASS + (size_t)kuan * 100 + (size_t)xiang])
            continue;
        char xcode[16];
        snprintf(xcode, sizeof xcode, "%.5s%02d", code, xiang);
        const char *xname = function_name(xcode);
        char *owned = xname ? NULL : synthetic_xiang_name(g, xiang, kuan_name);
        if (!append_row(u, xcode, xname, owned, LEVEL_XIANG))
            return false;
    }
    return true;
}

/* Walks the slots in code order, so the rows come out as the tables print them. */
static bool build_rows(gen *g, unit_data *u, const selection *s)
{
    u->rows = calloc(s->rows, sizeof *u->rows);
    if (!u->rows)
        return false;
    for (int cls = 0; cls < CLASS_COUNT; cls++) {
        if (!s->class_kuans[cls])
            continue;
        if (!append_row(u, function_classes[cls].code, function_classes[cls].name, NULL,
                        LEVEL_CLASS))
            return false;
        for (int kuan = 1; kuan <= 99; kuan++)
            if (s->kuan_xiangs[cls * 100 + kuan] && !append_kuan_rows(g, u, s, cls, kuan))
                return false;
    }
    return true;
}

static bool select_rows(gen *g, unit_data *u)
{
    selection s;
    bool ok = selection_init(&s);
    if (ok) {
        select_core(g, u, &s);
        size_t target = g->opt->rows ? (size_t)g->opt->rows : (size_t)rng_range(&g->rng, 15, 38);
        ok = fill_from_vocabulary(g, u, &s, target);
        if (ok)
            fill_synthetic(g, &s, target);
        ok = ok && build_rows(g, u, &s);
    }
    selection_free(&s);
    return ok;
}

/* ---- Economic items of 基本支出 ---- */

static cents *econ_slot(unit_data *u, const char *code)
{
    long i = find_code(economic_entries, ECONOMIC_COUNT, code);
    return i < 0 ? NULL : &u->econ[i];
}

static void set_econ(unit_data *u, const char *code, cents v)
{
    cents *slot = econ_slot(u, code);
    if (slot)
        *slot = v;
}

static cents econ_value(const unit_data *u, const char *code)
{
    long i = find_code(economic_entries, ECONOMIC_COUNT, code);
    return i < 0 ? 0 : u->econ[i];
}

/* base * permille / 1000, never below one cent (an item that exists is never zero). */
static cents share(cents base, int64_t permille)
{
    cents v = base * permille / 1000;
    return v > 0 ? v : 1;
}

static cents share_between(gen *g, cents base, int64_t lo, int64_t hi)
{
    return share(base, rng_range(&g->rng, lo, hi));
}

/* Social contributions are fixed shares of the wage bill, as the rules set them. */
static void economic_personnel(gen *g, unit_data *u, cents base)
{
    set_econ(u, "30101", base);
    set_econ(u, "30102", share_between(g, base, 850, 1250));
    set_econ(u, "30103", share_between(g, base, 120, 300));
    if (rng_chance(&g->rng, 30))
        set_econ(u, "30107", share_between(g, base, 200, 450));
    if (rng_chance(&g->rng, 20))
        set_econ(u, "30106", share_between(g, base, 20, 50));
    cents wages = 0;
    for (size_t i = 0; i < ECONOMIC_COUNT; i++)
        wages += u->econ[i];
    set_econ(u, "30108", share(wages, 160));
    set_econ(u, "30109", share(wages, 80));
    set_econ(u, "30110", share_between(g, wages, 50, 70));
    if (u->medical_subsidy)
        set_econ(u, "30111", share_between(g, wages, 80, 100));
    set_econ(u, "30112", share_between(g, wages, 3, 8));
    set_econ(u, "30113", share(wages, 120));
    if (rng_chance(&g->rng, 20))
        set_econ(u, "30199", share_between(g, base, 10, 50));
    if (u->retirees) {
        set_econ(u, "30302", share_between(g, base, 250, 600));
        if (rng_chance(&g->rng, 10))
            set_econ(u, "30301", share_between(g, base, 20, 80));
        if (rng_chance(&g->rng, 15))
            set_econ(u, "30305", share_between(g, base, 10, 40));
        if (rng_chance(&g->rng, 50))
            set_econ(u, "30399", share_between(g, base, 1, 8));
    }
}

/* 公用经费: the items every office has, some optional ones, and the 三公 items that the 三公
 * table repeats (30217 公务接待费, 30231 公务用车运行维护费). */
static void economic_public(gen *g, unit_data *u, cents base, cents small_scale)
{
    static const char *const always[] = {"30201", "30211", "30299"};
    static const struct {
        const char *code;
        unsigned percent;
    } optional[] = {
        {"30202", 60}, {"30203", 15}, {"30204", 10}, {"30205", 50}, {"30206", 50}, {"30207", 70},
        {"30208", 40}, {"30209", 40}, {"30213", 60}, {"30214", 15}, {"30215", 40}, {"30216", 60},
        {"30218", 20}, {"30226", 25}, {"30227", 15}, {"30239", 60},
    };
    cents pool = share_between(g, base, 100, 250);
    for (size_t i = 0; i < COUNT_OF(always); i++)
        set_econ(u, always[i], share_between(g, pool, 30, 150));
    for (size_t i = 0; i < COUNT_OF(optional); i++)
        if (rng_chance(&g->rng, optional[i].percent))
            set_econ(u, optional[i].code, share_between(g, pool, 20, 150));
    cents wages = econ_value(u, "30101") + econ_value(u, "30102") + econ_value(u, "30103");
    set_econ(u, "30228", share(wages, 20)); /* 工会经费: 2% of wages */
    set_econ(u, "30229", share_between(g, wages, 10, 15));
    u->reception = rng_range(&g->rng, 20, 300) * small_scale;
    set_econ(u, "30217", u->reception);
    if (rng_chance(&g->rng, 70)) {
        u->vehicle_operation = rng_range(&g->rng, 300, 1500) * small_scale;
        set_econ(u, "30231", u->vehicle_operation);
    }
}

static bool is_personnel_code(const char *code)
{
    return strncmp(code, "301", 3) == 0 || strncmp(code, "303", 3) == 0;
}

static void economic_totals(unit_data *u)
{
    u->personnel = u->public_costs = 0;
    for (size_t i = 0; i < ECONOMIC_COUNT; i++) {
        if (is_personnel_code(economic_entries[i].code))
            u->personnel += u->econ[i];
        else
            u->public_costs += u->econ[i];
    }
    u->basic = u->personnel + u->public_costs;
}

/* The economic amount a mapped 项 mirrors: one item, or a whole 类 (303). */
static cents mapped_amount(const unit_data *u, const char *code)
{
    const char *econ = mapped_economic_code(code);
    if (strlen(econ) == 5)
        return econ_value(u, econ);
    cents sum = 0;
    for (size_t i = 0; i < ECONOMIC_COUNT; i++)
        if (strncmp(economic_entries[i].code, econ, 3) == 0)
            sum += u->econ[i];
    return sum;
}

/* ---- Function amounts ---- */

static bool is_free_basic_row(const unit_data *u, const fn_row *row)
{
    return row->basic_kind && !mapped_active(u, row->code);
}

/* What is left of 基本支出 after the mapped 项 goes to 行政运行 and 事业运行 by random weights,
 * at least one cent each; the department's own 行政运行 weighs most, as in real units. */
static bool spread_running_costs(gen *g, unit_data *u, cents rest, size_t free_rows)
{
    int64_t *weights = malloc(free_rows * sizeof *weights);
    if (!weights)
        return false;
    char own[16];
    snprintf(own, sizeof own, "%s01", u->dept->kuan);
    int64_t sum = 0;
    size_t k = 0, heaviest = SIZE_MAX;
    for (size_t i = 0; i < u->row_count; i++) {
        if (!is_free_basic_row(u, &u->rows[i]))
            continue;
        if (heaviest == SIZE_MAX)
            heaviest = i;
        weights[k] = rng_range(&g->rng, 50, 1000);
        if (strcmp(u->rows[i].code, own) == 0) {
            weights[k] *= 20;
            heaviest = i;
        }
        sum += weights[k++];
    }
    cents spread = rest - (cents)free_rows, given = 0;
    k = 0;
    for (size_t i = 0; i < u->row_count; i++) {
        if (!is_free_basic_row(u, &u->rows[i]))
            continue;
        u->rows[i].basic = 1 + spread * weights[k++] / sum;
        given += u->rows[i].basic;
    }
    u->rows[heaviest].basic += rest - given; /* what rounding left over */
    free(weights);
    return true;
}

static cents project_amount(gen *g)
{
    unsigned size = (unsigned)rng_below(&g->rng, 100);
    if (size < 60)
        return rng_range(&g->rng, 100, 2000);
    if (size < 90)
        return rng_range(&g->rng, 2000, 10000);
    return rng_range(&g->rng, 10000, 50000);
}

/* 款 = Σ its 项 and 类 = Σ its 款, per column. */
static void sum_up_rows(unit_data *u)
{
    fn_row *cls = NULL, *kuan = NULL;
    u->project = 0;
    for (size_t i = 0; i < u->row_count; i++) {
        fn_row *row = &u->rows[i];
        if (row->level == LEVEL_CLASS) {
            cls = row;
            cls->basic = cls->project = 0;
        } else if (row->level == LEVEL_KUAN) {
            kuan = row;
            kuan->basic = kuan->project = 0;
        } else {
            kuan->basic += row->basic;
            kuan->project += row->project;
            cls->basic += row->basic;
            cls->project += row->project;
            u->project += row->project;
        }
    }
}

static bool assign_amounts(gen *g, unit_data *u)
{
    size_t free_rows = 0;
    for (size_t i = 0; i < u->row_count; i++)
        free_rows += u->rows[i].level == LEVEL_XIANG && is_free_basic_row(u, &u->rows[i]);
    /* Bigger tables belong to bigger units: pay scales with the offices that draw it. */
    cents scale = 1 + (cents)free_rows / 5;
    cents small_scale = 1 + scale / 20;
    economic_personnel(g, u, rng_range(&g->rng, 4000, 25000) * scale);
    economic_public(g, u, econ_value(u, "30101"), small_scale);
    economic_totals(u);

    cents mapped = 0;
    for (size_t i = 0; i < u->row_count; i++) {
        fn_row *row = &u->rows[i];
        if (row->level != LEVEL_XIANG)
            continue;
        if (row->basic_kind && mapped_active(u, row->code)) {
            row->basic = mapped_amount(u, row->code);
            mapped += row->basic;
        } else if (!row->basic_kind) {
            row->project = project_amount(g);
        }
    }
    if (!spread_running_costs(g, u, u->basic - mapped, free_rows))
        return false;
    sum_up_rows(u);
    u->total = u->basic + u->project;
    return true;
}

/* ---- 三公 and last year ---- */

static void three_public_extras(gen *g, unit_data *u)
{
    if (rng_chance(&g->rng, 10))
        u->vehicle_purchase = rng_range(&g->rng, 1500, 3000);
    if (rng_chance(&g->rng, 5))
        u->overseas_other = rng_range(&g->rng, 200, 800);
}

/* Last year within -15% .. +15% of this year's figure; a figure that was absent stays so. */
static cents last_year(gen *g, cents now)
{
    if (now == 0)
        return 0;
    cents v = now + now * rng_range(&g->rng, -150, 150) / 1000;
    return v > 0 ? v : 1;
}

static void previous_year_figures(gen *g, unit_data *u)
{
    u->prev_personnel = last_year(g, u->personnel);
    u->prev_public = last_year(g, u->public_costs);
    u->prev_project = last_year(g, u->project);
    u->prev_total = u->prev_personnel + u->prev_public + u->prev_project;
    /* Vehicle running costs often stay the same from year to year, as in the sample. */
    u->prev_vehicles =
        rng_chance(&g->rng, 50) ? u->vehicle_operation : last_year(g, u->vehicle_operation);
    u->prev_reception = last_year(g, u->reception);
    u->prev_overseas = last_year(g, three_public_overseas(u));
}

/* ---- Identity ---- */

static char *compose_unit_name(const region *r, const department *d)
{
    textbuf t = {0};
    switch (d->kind) {
    case ORG_GOVERNMENT:
        text_addf(&t, "%s%s", r->name, d->name);
        break;
    case ORG_GOV_OFFICE:
        text_addf(&t, "%s%s%s", r->name, r->zone ? "管理委员会" : "人民政府", d->name);
        break;
    case ORG_PARTY:
        text_addf(&t, "中共%s%s%s", r->name, r->zone ? "工作委员会" : "委员会", d->name);
        break;
    case ORG_DISCIPLINE:
        text_addf(&t, "中共%s%s", r->name, r->zone ? "纪律检查工作委员会" : "纪律检查委员会");
        break;
    }
    text_add(&t, "(本级)");
    char *name = text_take_copy(&t);
    text_free(&t);
    return name;
}

/* Unit codes are the 类 of the department's work and a serial number, as in 201001; the serial
 * is the batch index, so codes (and file names) never repeat within a batch. */
static void compose_unit_code(unit_data *u, uint64_t index)
{
    snprintf(u->code, sizeof u->code, "%.3s%03" PRIu64, u->dept->kuan, index + 1);
}

static bool make_unit_data(gen *g, uint64_t index, unit_data *u)
{
    *u = (unit_data){0};
    u->region = &PICK(g, regions);
    u->dept = &PICK(g, departments);
    compose_unit_code(u, index);
    u->name = compose_unit_name(u->region, u->dept);
    u->retirees = rng_chance(&g->rng, 60);
    u->medical_subsidy = rng_chance(&g->rng, 75);
    if (!u->name || !select_rows(g, u) || !assign_amounts(g, u))
        return false;
    three_public_extras(g, u);
    previous_year_figures(g, u);
    return true;
}

/* ---- JSON building: jansson accepts NULL everywhere, so failures are noted and checked once
 * at the end instead of after every call ---- */

static void put(gen *g, json_t *obj, const char *key, json_t *value)
{
    if (json_object_set_new(obj, key, value) != 0)
        g->failed = true;
}

static void push(gen *g, json_t *array, json_t *value)
{
    if (json_array_append_new(array, value) != 0)
        g->failed = true;
}

static json_t *amount_json(cents v)
{
    char buf[32];
    format_amount(buf, sizeof buf, v);
    return json_string(buf);
}

static void put_amount(gen *g, json_t *obj, const char *key, cents v)
{
    put(g, obj, key, amount_json(v));
}

static void put_text(gen *g, json_t *obj, const char *key, const char *text)
{
    put(g, obj, key, json_string(text));
}

/* ---- Tables ---- */

/* Codes and names are shared by the three function ledgers: one jansson string each, with a
 * reference per use, which keeps a 100,000-row unit's memory in bounds. */
typedef struct shared_strings {
    json_t **codes;
    json_t **names;
    size_t count;
} shared_strings;

static bool shared_strings_init(shared_strings *s, const unit_data *u)
{
    s->count = u->row_count;
    s->codes = calloc(s->count ? s->count : 1, sizeof *s->codes);
    s->names = calloc(s->count ? s->count : 1, sizeof *s->names);
    if (!s->codes || !s->names)
        return false;
    for (size_t i = 0; i < s->count; i++) {
        s->codes[i] = json_string(u->rows[i].code);
        s->names[i] = json_string(u->rows[i].name);
        if (!s->codes[i] || !s->names[i])
            return false;
    }
    return true;
}

static void shared_strings_free(shared_strings *s)
{
    for (size_t i = 0; s->codes && i < s->count; i++)
        json_decref(s->codes[i]);
    for (size_t i = 0; s->names && i < s->count; i++)
        json_decref(s->names[i]);
    free(s->codes);
    free(s->names);
}

/* Blank is not zero: a column without money is absent, never "0.00". */
static void put_amount_if(gen *g, json_t *obj, const char *key, cents v)
{
    if (v != 0)
        put_amount(g, obj, key, v);
}

typedef enum ledger_kind { LEDGER_INCOME, LEDGER_EXPENSE } ledger_kind;

static json_t *ledger_amounts(gen *g, ledger_kind kind, cents basic, cents project)
{
    json_t *amounts = json_object();
    json_t *total = amount_json(basic + project);
    put(g, amounts, "total", total);
    if (kind == LEDGER_INCOME) {
        /* A fiscal-funded unit: all of its income is 财政拨款, the same figure three times. */
        put(g, amounts, "income_subtotal", json_incref(total));
        put(g, amounts, "fiscal_grant", json_incref(total));
    } else {
        put_amount_if(g, amounts, "basic", basic);
        put_amount_if(g, amounts, "project", project);
    }
    return amounts;
}

static json_t *function_ledger(gen *g, const unit_data *u, const shared_strings *s,
                               ledger_kind kind)
{
    json_t *ledger = json_object();
    put(g, ledger, "total", ledger_amounts(g, kind, u->basic, u->project));
    json_t *rows = json_array();
    for (size_t i = 0; i < u->row_count; i++) {
        json_t *row = json_object();
        put(g, row, "code", json_incref(s->codes[i]));
        put(g, row, "name", json_incref(s->names[i]));
        put(g, row, "amounts", ledger_amounts(g, kind, u->rows[i].basic, u->rows[i].project));
        push(g, rows, row);
    }
    put(g, ledger, "rows", rows);
    return ledger;
}

/* 一般公共预算财政拨款支出表 has exactly the rows of 支出总表 (all money is 财政拨款): the same
 * row objects, one more reference each. A defect copies a row before it touches it. */
static json_t *same_rows_ledger(gen *g, const json_t *model)
{
    json_t *ledger = json_object();
    put(g, ledger, "total", json_deep_copy(json_object_get(model, "total")));
    json_t *model_rows = json_object_get(model, "rows");
    json_t *rows = json_array();
    for (size_t i = 0; i < json_array_size(model_rows); i++)
        push(g, rows, json_incref(json_array_get(model_rows, i)));
    put(g, ledger, "rows", rows);
    return ledger;
}

static json_t *empty_ledger(gen *g, const char *note)
{
    json_t *ledger = json_object();
    put(g, ledger, "rows", json_array());
    put_text(g, ledger, "note", note);
    return ledger;
}

/* Each 类's total, 0 where the unit has none: the expense side of the two-sided tables. */
static void class_totals(const unit_data *u, cents totals[CLASS_COUNT])
{
    memset(totals, 0, sizeof(cents) * CLASS_COUNT);
    for (size_t i = 0; i < u->row_count; i++) {
        const fn_row *row = &u->rows[i];
        if (row->level == LEVEL_CLASS)
            totals[class_index(row->code)] = row->basic + row->project;
    }
}

static json_t *total_only(gen *g, cents v)
{
    json_t *amounts = json_object();
    put_amount_if(g, amounts, "total", v);
    return amounts;
}

/* In the 财政拨款 table every expense figure is also 一般公共预算 money. */
static json_t *total_and_general(gen *g, cents v)
{
    json_t *amounts = json_object();
    put_amount_if(g, amounts, "total", v);
    put_amount_if(g, amounts, "general_budget", v);
    return amounts;
}

static json_t *named_line(gen *g, const char *code, const char *name, json_t *amounts)
{
    json_t *line = json_object();
    if (code)
        put_text(g, line, "code", code);
    put_text(g, line, "name", name);
    put(g, line, "amounts", amounts);
    return line;
}

static json_t *empty_carryover(gen *g)
{
    json_t *carryover = json_object();
    put(g, carryover, "amounts", json_object());
    return carryover;
}

static json_t *expense_side(gen *g, const unit_data *u, bool fiscal)
{
    cents totals[CLASS_COUNT];
    class_totals(u, totals);
    json_t *side = json_object();
    json_t *lines = json_array();
    for (int c = 0; c < CLASS_COUNT; c++) {
        json_t *amounts = fiscal ? total_and_general(g, totals[c]) : total_only(g, totals[c]);
        push(g, lines, named_line(g, function_classes[c].code, function_classes[c].name, amounts));
    }
    put(g, side, "lines", lines);
    put(g, side, "year_total", fiscal ? total_and_general(g, u->total) : total_only(g, u->total));
    put(g, side, "carryover", empty_carryover(g));
    put(g, side, "grand_total", fiscal ? total_and_general(g, u->total) : total_only(g, u->total));
    return side;
}

static const char *const budget_income_lines[] = {
    "一般公共预算拨款收入",
    "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入",
    "财政专户管理资金收入",
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
};

static const char *const fiscal_income_lines[] = {"一般公共预算拨款", "政府性基金预算拨款",
                                                  "国有资本经营预算拨款"};

/* The first line (一般公共预算) carries everything; the others are blank. */
static json_t *income_lines(gen *g, const char *const *names, size_t n, cents first)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < n; i++)
        push(g, lines, named_line(g, NULL, names[i], total_only(g, i == 0 ? first : 0)));
    return lines;
}

static json_t *budget_summary(gen *g, const unit_data *u)
{
    json_t *income = json_object();
    put(g, income, "lines",
        income_lines(g, budget_income_lines, COUNT_OF(budget_income_lines), u->total));
    put(g, income, "year_total", total_only(g, u->total));
    put(g, income, "carryover", empty_carryover(g));
    put(g, income, "grand_total", total_only(g, u->total));
    json_t *table = json_object();
    put(g, table, "income", income);
    put(g, table, "expense", expense_side(g, u, false));
    return table;
}

static json_t *fiscal_summary(gen *g, const unit_data *u)
{
    json_t *income = json_object();
    put(g, income, "lines",
        income_lines(g, fiscal_income_lines, COUNT_OF(fiscal_income_lines), u->total));
    put(g, income, "year_total", total_only(g, u->total));
    json_t *carryover = empty_carryover(g);
    put(g, carryover, "lines",
        income_lines(g, fiscal_income_lines, COUNT_OF(fiscal_income_lines), 0));
    put(g, income, "carryover", carryover);
    put(g, income, "grand_total", total_only(g, u->total));
    json_t *table = json_object();
    put(g, table, "income", income);
    put(g, table, "expense", expense_side(g, u, true));
    return table;
}

static json_t *basic_amounts(gen *g, const char *code, cents v)
{
    json_t *amounts = json_object();
    put_amount(g, amounts, "total", v);
    put_amount(g, amounts, is_personnel_code(code) ? "personnel" : "public", v);
    return amounts;
}

/* 一般公共预算财政拨款基本支出表: each economic 类 with money, then its items. */
static json_t *basic_expense_table(gen *g, const unit_data *u)
{
    json_t *table = json_object();
    json_t *total = json_object();
    put_amount(g, total, "total", u->basic);
    put_amount_if(g, total, "personnel", u->personnel);
    put_amount_if(g, total, "public", u->public_costs);
    put(g, table, "total", total);
    json_t *rows = json_array();
    for (size_t i = 0; i < ECONOMIC_COUNT; i++) {
        const code_name *cls = &economic_entries[i];
        if (strlen(cls->code) != 3)
            continue;
        cents sum = 0;
        for (size_t j = i + 1; j < ECONOMIC_COUNT && strlen(economic_entries[j].code) == 5; j++)
            sum += u->econ[j];
        if (sum == 0)
            continue;
        push(g, rows, named_line(g, cls->code, cls->name, basic_amounts(g, cls->code, sum)));
        for (size_t j = i + 1; j < ECONOMIC_COUNT && strlen(economic_entries[j].code) == 5; j++)
            if (u->econ[j])
                push(g, rows,
                     named_line(g, economic_entries[j].code, economic_entries[j].name,
                                basic_amounts(g, economic_entries[j].code, u->econ[j])));
    }
    put(g, table, "rows", rows);
    return table;
}

static json_t *three_public_table(gen *g, const unit_data *u)
{
    json_t *table = json_object();
    cents total = three_public_total(u);
    json_t *amounts = json_object();
    put_amount(g, amounts, "total", total);
    put_amount_if(g, amounts, "general_budget", total);
    put(g, table, "total", amounts);
    put(g, table, "subtotal", json_deep_copy(amounts));
    put(g, table, "overseas", total_and_general(g, three_public_overseas(u)));
    put(g, table, "overseas_research", total_and_general(g, u->overseas_research));
    put(g, table, "overseas_other", total_and_general(g, u->overseas_other));
    put(g, table, "vehicles", total_and_general(g, three_public_vehicles(u)));
    put(g, table, "vehicle_purchase", total_and_general(g, u->vehicle_purchase));
    put(g, table, "vehicle_operation", total_and_general(g, u->vehicle_operation));
    put(g, table, "reception", total_and_general(g, u->reception));
    return table;
}

static json_t *build_tables(gen *g, const unit_data *u, const shared_strings *s)
{
    json_t *tables = json_object();
    put(g, tables, "budget_summary", budget_summary(g, u));
    put(g, tables, "income_summary", function_ledger(g, u, s, LEDGER_INCOME));
    json_t *expense = function_ledger(g, u, s, LEDGER_EXPENSE);
    put(g, tables, "expense_summary", expense);
    put(g, tables, "fiscal_summary", fiscal_summary(g, u));
    put(g, tables, "general_budget_expense", same_rows_ledger(g, expense));
    put(g, tables, "general_budget_basic_expense", basic_expense_table(g, u));
    put(g, tables, "gov_fund_expense", empty_ledger(g, "无政府基金预算财政拨款预算，空表列示。"));
    put(g, tables, "state_capital_expense",
        empty_ledger(g, "无国有资本经营预算财政拨款预算，空表列示。"));
    put(g, tables, "three_public", three_public_table(g, u));
    return tables;
}

static json_t *unit_info(gen *g, const unit_data *u)
{
    json_t *info = json_object();
    put_text(g, info, "code", u->code);
    put_text(g, info, "name", u->name);
    put(g, info, "budget_year", json_integer(2022));
    put_text(g, info, "money_unit", "万元");
    put_text(g, info, "region", u->region->name);
    return info;
}

static json_t *previous_year(gen *g, const unit_data *u)
{
    json_t *prev = json_object();
    put_amount(g, prev, "total_expense", u->prev_total);
    put_amount(g, prev, "personnel", u->prev_personnel);
    put_amount(g, prev, "public", u->prev_public);
    put_amount(g, prev, "project", u->prev_project);
    put_amount(g, prev, "operating_costs", u->prev_public);
    put_amount(g, prev, "three_public", u->prev_overseas + u->prev_vehicles + u->prev_reception);
    put_amount_if(g, prev, "three_public_overseas", u->prev_overseas);
    put_amount_if(g, prev, "three_public_vehicles", u->prev_vehicles);
    put_amount_if(g, prev, "three_public_reception", u->prev_reception);
    return prev;
}

/* ---- Long text: plausible Chinese composed from phrases, no line breaks ---- */

static const char *const long_openers[] = {"围绕", "聚焦", "紧扣", "立足", "按照", "对标"};
static const char *const long_topics[] = {
    "全区经济社会发展大局", "年度重点工作任务", "上级决策部署",   "群众急难愁盼问题",
    "高质量发展要求",       "预算绩效管理要求", "基层治理现代化", "营商环境优化提升",
    "民生保障各项任务",     "安全发展底线要求", "数字化转型方向", "干部队伍建设需要",
};
static const char *const long_actions[] = {
    "进一步健全工作机制",   "持续加强统筹协调",     "扎实推进各项任务落地见效",
    "严格落实资金管理制度", "不断提升服务保障水平", "加强资金使用全过程监管",
    "强化部门协同联动",     "完善考核评价办法",     "细化分解目标任务和工作责任",
};
static const char *const long_results[] = {
    "确保各项工作按计划有序推进",   "切实提高财政资金使用效益",   "推动工作质量和效率持续提升",
    "为全区高质量发展提供有力支撑", "不断增强群众获得感和满意度", "形成上下联动的良好工作格局",
};

static size_t add_counted(textbuf *t, const char *s)
{
    text_add(t, s);
    return utf8_chars(s);
}

/* One sentence of at most 60 characters. */
static size_t add_sentence(gen *g, textbuf *t)
{
    size_t n = add_counted(t, PICK(g, long_openers));
    n += add_counted(t, PICK(g, long_topics));
    n += add_counted(t, "，");
    n += add_counted(t, PICK(g, long_actions));
    n += add_counted(t, "，");
    n += add_counted(t, PICK(g, long_results));
    return n + add_counted(t, "。");
}

/* Sentences up to a random length in [min, max] characters (counting what t already holds);
 * a sentence is at most 60 characters, so aiming 60 below max never overshoots. */
static void add_long_text(gen *g, textbuf *t, size_t min_chars, size_t max_chars)
{
    size_t have = t->data ? utf8_chars(t->data) : 0;
    size_t target = (size_t)rng_range(&g->rng, (int64_t)min_chars, (int64_t)(max_chars - 60));
    while (have < target && !t->failed)
        have += add_sentence(g, t);
}

/* A row name of 100 to 300 characters: a list of purposes, as long names in real tables are. */
static char *long_row_name(gen *g, const char *name)
{
    textbuf t = {0};
    size_t have = add_counted(&t, name);
    have += add_counted(&t, "（用于");
    /* One round adds at most 29 characters and the ending 4: the name stays under 300. */
    size_t target = (size_t)rng_range(&g->rng, 100, 250);
    for (bool first = true; have < target && !t.failed; first = false) {
        have += add_counted(&t, first ? "" : "、");
        have += add_counted(&t, PICK(g, long_topics));
        have += add_counted(&t, "相关");
        have += add_counted(&t, PICK(g, long_actions));
    }
    add_counted(&t, "等支出）");
    char *s = text_take_copy(&t);
    text_free(&t);
    return s;
}

/* Under --long-text, about one row in eight (and at least one) gets a long name. */
static bool lengthen_row_names(gen *g, unit_data *u)
{
    bool any = false;
    for (size_t i = 0; i < u->row_count; i++) {
        fn_row *row = &u->rows[i];
        bool last_chance = !any && i + 1 == u->row_count;
        if (row->level == LEVEL_CLASS || (!rng_chance(&g->rng, 12) && !last_chance))
            continue;
        char *name = long_row_name(g, row->name);
        if (!name)
            return false;
        free(row->owned);
        row->owned = name;
        row->name = name;
        any = true;
    }
    return true;
}

/* A text of [min, max] characters in long mode, else the short one given. */
static json_t *maybe_long(gen *g, const char *short_text, size_t min_chars, size_t max_chars)
{
    if (!g->opt->long_text)
        return json_string(short_text);
    textbuf t = {0};
    text_add(&t, short_text);
    size_t n = strlen(short_text);
    if (n < strlen("。") || strcmp(short_text + n - strlen("。"), "。") != 0)
        text_add(&t, "。"); /* the sentences appended below start a new one */
    add_long_text(g, &t, min_chars, max_chars);
    g->failed |= t.failed;
    json_t *s = json_string(t.data);
    text_free(&t);
    return s;
}

/* ---- Narrative ---- */

static json_t *block(gen *g, const char *kind, const char *value)
{
    json_t *b = json_object();
    put_text(g, b, kind, value);
    return b;
}

static json_t *section(gen *g, json_t *blocks)
{
    json_t *s = json_object();
    put(g, s, "blocks", blocks);
    return s;
}

/* A paragraph block from a buffer; a failed buffer marks the unit failed. */
static json_t *paragraph_block(gen *g, const textbuf *t)
{
    if (t->failed)
        g->failed = true;
    return block(g, "paragraph", t->failed ? NULL : t->data);
}

static const char *amount_text(char buf[32], cents v)
{
    format_amount(buf, 32, v);
    return buf;
}

/* "增加 3.40 万元", "减少 3.40 万元", or the same as last year. */
static void add_change(textbuf *t, cents now, cents before)
{
    char buf[32];
    if (now > before)
        text_addf(t, "增加 %s 万元", amount_text(buf, now - before));
    else if (now < before)
        text_addf(t, "减少 %s 万元", amount_text(buf, before - now));
    else
        text_add(t, "与 2021 年持平");
}

static json_t *duties_section(gen *g, const unit_data *u)
{
    static const char *const general[] = {
        "贯彻落实党和国家关于%s工作的方针政策和决策部署，拟订相关制度并组织实施。",
        "负责%s领域的风险防控和安全生产工作。",
        "负责%s工作的宣传、信息和统计工作。",
        "负责本单位党的建设、党风廉政建设和意识形态工作。",
        "负责本单位财务、资产和人事管理工作。",
    };
    json_t *list = json_array();
    for (size_t i = 0; i < COUNT_OF(u->dept->duties); i++) {
        textbuf t = {0};
        text_addf(&t, "%s。", u->dept->duties[i]);
        push(g, list, json_string(t.data));
        g->failed |= t.failed;
        text_free(&t);
    }
    size_t start = (size_t)rng_below(&g->rng, COUNT_OF(general));
    size_t extra = (size_t)rng_range(&g->rng, 2, 4);
    for (size_t i = 0; i < extra; i++) {
        textbuf t = {0};
        text_addf(&t, general[(start + i) % COUNT_OF(general)], u->dept->field);
        push(g, list, json_string(t.data));
        g->failed |= t.failed;
        text_free(&t);
    }
    push(g, list, json_string("完成上级交办的其他任务。"));
    json_t *blocks = json_array();
    push(g, blocks, block(g, "heading", "单位职责："));
    json_t *list_block = json_object();
    put(g, list_block, "list", list);
    push(g, blocks, list_block);
    push(g, blocks, block(g, "heading", "机构设置："));
    push(g, blocks, block(g, "include", "organisations"));
    return section(g, blocks);
}

/* The figures are the tables' own and previous_year's, so that a cross-check finds them. */
static json_t *overview_section(gen *g, const unit_data *u)
{
    char a[32], b[32], c[32], d[32], e[32];
    textbuf t = {0};
    text_addf(
        &t,
        "按照预算管理有关规定，目前我单位预算的编制实行综合预算管理，即全部收入和支出都反映在"
        "预算中。2022 年，本单位预算支出 %s 万元，其中基本支出预算中人员支出预算 %s 万元，日常"
        "公用经费支出预算 %s 万元，小计 %s 万元，项目支出预算 %s 万元。与 2021 年相比，人员支出"
        "预算",
        amount_text(a, u->total), amount_text(b, u->personnel), amount_text(c, u->public_costs),
        amount_text(d, u->basic), amount_text(e, u->project));
    add_change(&t, u->personnel, u->prev_personnel);
    text_add(&t, "，日常公用经费");
    add_change(&t, u->public_costs, u->prev_public);
    text_add(&t, "，项目预算");
    add_change(&t, u->project, u->prev_project);
    text_add(&t, "。全年总支出");
    add_change(&t, u->total, u->prev_total);
    text_add(&t, "。");
    json_t *blocks = json_array();
    push(g, blocks, paragraph_block(g, &t));
    text_free(&t);
    return section(g, blocks);
}

/* Every 302 item with the basic-expense table's figure, and their total. */
static json_t *operating_costs_section(gen *g, const unit_data *u)
{
    char a[32];
    textbuf t = {0};
    text_addf(&t, "本年度机关运行经费总计 %s 万元，主要用于机关各项工作职能正常运转。其中",
              amount_text(a, u->public_costs));
    bool first = true;
    for (size_t i = 0; i < ECONOMIC_COUNT; i++) {
        const code_name *e = &economic_entries[i];
        if (strlen(e->code) != 5 || strncmp(e->code, "302", 3) != 0 || !u->econ[i])
            continue;
        text_addf(&t, "%s%s %s 万元", first ? "" : "；", e->name, amount_text(a, u->econ[i]));
        first = false;
    }
    text_add(&t, "。");
    json_t *blocks = json_array();
    push(g, blocks, paragraph_block(g, &t));
    text_free(&t);
    return section(g, blocks);
}

typedef struct three_public_item {
    const char *name;
    cents now, before;
} three_public_item;

static void add_three_public_year(textbuf *t, const three_public_item *items, size_t n, bool now)
{
    char a[32];
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        cents v = now ? items[i].now : items[i].before;
        if (!v)
            continue;
        text_addf(t, "%s%s %s 万元", first ? "其中" : "，", items[i].name, amount_text(a, v));
        first = false;
    }
}

static json_t *three_public_section(gen *g, const unit_data *u)
{
    const three_public_item items[] = {
        {"因公出国（境）费", three_public_overseas(u), u->prev_overseas},
        {"公务用车购置及运维费", three_public_vehicles(u), u->prev_vehicles},
        {"公务接待费", u->reception, u->prev_reception},
    };
    cents now = three_public_total(u);
    cents before = u->prev_overseas + u->prev_vehicles + u->prev_reception;
    char a[32];
    textbuf t = {0};
    text_addf(&t, "2021 年单位“三公”经费 %s 万元，", amount_text(a, before));
    add_three_public_year(&t, items, COUNT_OF(items), false);
    text_addf(&t, "。2022 年“三公”经费合计 %s 万元，", amount_text(a, now));
    add_three_public_year(&t, items, COUNT_OF(items), true);
    text_add(&t, "。与 2021 年相比，“三公”经费");
    add_change(&t, now, before);
    if (now > before)
        text_add(&t, "，主要原因是公务活动有所增加，公用经费计提基数加大。");
    else if (now < before)
        text_add(&t, "，主要原因是严格落实中央八项规定精神，厉行节约，压减一般性支出。");
    else
        text_add(&t, "。");
    json_t *blocks = json_array();
    push(g, blocks, paragraph_block(g, &t));
    text_free(&t);
    return section(g, blocks);
}

static json_t *include_section(gen *g, const char *part, const textbuf *intro)
{
    json_t *blocks = json_array();
    if (intro)
        push(g, blocks, paragraph_block(g, intro));
    push(g, blocks, block(g, "include", part));
    return section(g, blocks);
}

static json_t *procurement_section(gen *g, const unit_data *u)
{
    textbuf t = {0};
    text_addf(&t, "2022 年，%s安排政府采购预算 0.00 万元。具体内容见下表。", u->name);
    json_t *s = include_section(g, "procurement", &t);
    text_free(&t);
    return s;
}

static json_t *assets_section(gen *g, const unit_data *u, cents assets_total)
{
    char a[32];
    textbuf t = {0};
    text_addf(&t,
              "%s上年末固定资产金额为 %s 万元（详见下表）。本年度拟购置固定资产总额为 0.00 万元，"
              "已按要求列入政府采购预算，详见政府采购预算表。",
              u->name, amount_text(a, assets_total));
    json_t *s = include_section(g, "assets", &t);
    text_free(&t);
    return s;
}

static json_t *single_paragraph_section(gen *g, const textbuf *t)
{
    json_t *blocks = json_array();
    push(g, blocks, paragraph_block(g, t));
    return section(g, blocks);
}

static json_t *build_explanation(gen *g, const unit_data *u, cents assets_total)
{
    json_t *ex = json_object();
    textbuf t = {0};
    text_addf(&t,
              "按照《预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》"
              "规定，现将%s 2022 年单位预算公开如下：",
              u->name);
    g->failed |= t.failed;
    put_text(g, ex, "preface", t.data);
    json_t *sections = json_object();
    put(g, sections, "duties", duties_section(g, u));
    put(g, sections, "overview", overview_section(g, u));
    put(g, sections, "operating_costs", operating_costs_section(g, u));
    put(g, sections, "three_public", three_public_section(g, u));
    put(g, sections, "performance", include_section(g, "performance", NULL));
    put(g, sections, "procurement", procurement_section(g, u));
    put(g, sections, "assets", assets_section(g, u, assets_total));
    put(g, sections, "glossary", include_section(g, "glossary", NULL));
    text_clear(&t);
    if (g->opt->long_text) {
        text_add(&t, "关于本单位预算编制和执行管理的其他说明：");
        add_long_text(g, &t, 2000, 5000);
    } else {
        text_add(&t, "我单位无其他需要说明的事项。");
    }
    put(g, sections, "other_notes", single_paragraph_section(g, &t));
    text_free(&t);
    put(g, ex, "sections", sections);
    return ex;
}

/* ---- Structured parts ---- */

static json_t *organisations(gen *g, const unit_data *u)
{
    json_t *org = json_object();
    put_text(g, org, "name", u->name);
    put_text(g, org, "nature", rng_chance(&g->rng, 80) ? "行政" : "参公事业");
    put_text(g, org, "level", u->region->zone ? "副处(县)级" : "正科级");
    put_text(g, org, "funding", "财政拨款");
    json_t *list = json_array();
    push(g, list, org);
    return list;
}

static json_t *procurement(gen *g)
{
    json_t *p = json_object();
    put_text(g, p, "total", "0.00");
    put(g, p, "rows", json_array());
    json_t *notes = json_array();
    push(g, notes,
         json_string("同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配"
                     "置标准。涉密采购事项按照相关规定执行。"));
    push(g, notes, json_string("无政府采购预算，空表列示。"));
    put(g, p, "notes", notes);
    return p;
}

typedef struct asset_row {
    const char *name;
    const char *measure_unit; /* NULL: none */
    unsigned percent;         /* how often a unit has it */
    cents lo, hi;
} asset_row;

static const asset_row asset_rows[] = {
    {"土地房屋", "平方米", 60, 1000, 200000}, {"通用设备", NULL, 100, 500, 80000},
    {"专用设备", NULL, 50, 100, 30000},       {"家具用具装具及动植物", NULL, 100, 300, 30000},
    {"无形资产", NULL, 40, 100, 5000},
};

/* 单位固定资产占用情况表: rows summing to the total. */
static json_t *assets(gen *g, cents *total_out)
{
    json_t *rows = json_array();
    cents total = 0;
    for (size_t i = 0; i < COUNT_OF(asset_rows); i++) {
        const asset_row *a = &asset_rows[i];
        if (!rng_chance(&g->rng, a->percent))
            continue;
        cents value = rng_range(&g->rng, a->lo, a->hi);
        json_t *row = json_object();
        put_text(g, row, "name", a->name);
        if (a->measure_unit) {
            put_text(g, row, "measure_unit", a->measure_unit);
            put_amount(g, row, "quantity", rng_range(&g->rng, 20000, 500000));
        }
        put_amount(g, row, "value", value);
        push(g, rows, row);
        total += value;
    }
    json_t *assets_obj = json_object();
    put_text(g, assets_obj, "as_of", "2021-12-31");
    json_t *total_obj = json_object();
    put_amount(g, total_obj, "value", total);
    put(g, assets_obj, "total", total_obj);
    put(g, assets_obj, "rows", rows);
    put_text(g, assets_obj, "planned_purchases", "0.00");
    *total_out = total;
    return assets_obj;
}

/* The standard terms as the sample unit defines them. */
static const code_name glossary_entries[] = {
    {"一般公共预算拨款收入", "指区级财政当年拨付的资金。"},
    {"事业收入", "指事业单位开展专业业务活动及辅助活动所取得的收入。"},
    {"其他收入", "指除“一般公共预算拨款收入”、“事业收入”等以外的收入。主要是按规定动用的租房"
                 "收入、存款利息收入等。"},
    {"基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"},
    {"项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"},
    {"上缴上级支出", "指下级单位上缴上级的支出。"},
    {"“三公”经费",
     "纳入区级财政预算管理的“三公”经费，是指预算单位用财政拨款安排的因公出国（境）费、公务用车"
     "购置及运维费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙"
     "食补助费、杂费、培训费等支出；公务用车购置及运维费反映单位公务用车购置费及租用费、燃料费"
     "、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接"
     "待（含外宾接待）支出。"},
    {"机关运行费", "是指各单位的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常"
                   "维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业"
                   "管理费、公务用车运行维护费以及其他费用。"},
    {"上年结转", "指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"},
    {"事业单位经营支出",
     "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。"},
};

static json_t *glossary(gen *g)
{
    json_t *list = json_array();
    for (size_t i = 0; i < COUNT_OF(glossary_entries); i++) {
        json_t *entry = json_object();
        put_text(g, entry, "term", glossary_entries[i].code);
        put_text(g, entry, "definition", glossary_entries[i].name);
        push(g, list, entry);
    }
    return list;
}

/* ---- Performance ---- */

static const char *const general_topics[] = {
    "业务培训", "宣传教育", "信息化建设", "档案数字化",   "督查督办", "机关党建",
    "安全生产", "课题调研", "设备更新",   "办公场所维护", "志愿服务", "应急保障",
};
static const char *const project_suffixes[] = {"专项经费", "工作经费", "项目", "专项资金",
                                               "能力提升项目"};
static const char *const target_verbs[] = {"扎实开展", "统筹推进", "全面完成", "规范做好",
                                           "持续加强"};
static const char *const target_results[] = {
    "确保全年任务按期完成", "提升工作质量和服务水平", "保障各项工作正常运转",
    "提高财政资金使用效益", "增强群众获得感和满意度",
};

static const char *topic_at(const department *d, size_t i)
{
    size_t own = COUNT_OF(d->topics);
    return i % (own + COUNT_OF(general_topics)) < own
               ? d->topics[i % (own + COUNT_OF(general_topics))]
               : general_topics[i % (own + COUNT_OF(general_topics)) - own];
}

static char *target_sentence(gen *g, const char *topic)
{
    /* One draw per statement: the order in which arguments are evaluated is unspecified, and
     * the output must not depend on the compiler. */
    const char *verb = PICK(g, target_verbs);
    const char *result = PICK(g, target_results);
    textbuf t = {0};
    text_addf(&t, "%s%s工作，%s。", verb, topic, result);
    char *s = text_take_copy(&t);
    text_free(&t);
    return s;
}

/* printf patterns taking the topic. */
static const char *const itemised_indicators[] = {
    "按计划完成%s各项任务，完成率 100%%",
    "%s工作质量达标率不低于 95%%",
    "%s相关资料归档及时、完整",
    "%s工作按时完成率 100%%",
};

static json_t *itemised_groups(gen *g, const unit_data *u)
{
    json_t *groups = json_array();
    size_t count = (size_t)rng_range(&g->rng, 2, 4);
    for (size_t i = 0; i < count; i++) {
        const char *topic = u->dept->topics[i];
        json_t *group = json_object();
        textbuf title = {0};
        text_addf(&title, "做好%s工作", topic);
        g->failed |= title.failed;
        put_text(g, group, "title", title.data);
        text_free(&title);
        json_t *targets = json_array();
        size_t n = (size_t)rng_range(&g->rng, 2, 3);
        for (size_t k = 0; k < n; k++) {
            json_t *target = json_object();
            char *sentence = target_sentence(g, topic);
            g->failed |= !sentence;
            put_text(g, target, "target", sentence);
            free(sentence);
            json_t *indicators = json_array();
            textbuf ind = {0};
            text_addf(&ind, itemised_indicators[(i + k) % COUNT_OF(itemised_indicators)], topic);
            g->failed |= ind.failed;
            push(g, indicators, json_string(ind.data));
            text_free(&ind);
            put(g, target, "indicators", indicators);
            push(g, targets, target);
        }
        put(g, group, "targets", targets);
        push(g, groups, group);
    }
    return groups;
}

/* The sample unit's 工作保障措施: generic, so every unit may use them. */
static const code_name safeguard_entries[] = {
    {"工作保障措施",
     "制定完善预算绩效管理制度、预算管理制度、费用报销制度、资金管理使用办法、工作保"
     "障制度等，为全年预算绩效目标的实现奠定制度基础。"},
    {"加强支出管理", "通过优化支出结构、编细编实预算、加快履行政府采购手续、尽快启动项目、及时支付"
                     "资金等多种措施，确保支出进度达标。"},
    {"加强绩效运行监控",
     "按要求开展绩效运行监控，发现问题及时采取措施，确保绩效目标如期保质实现。"},
    {"做好绩效自评", "按要求开展上年度单位预算绩效自评和重点评价工作，对评价中发现的问题及时整改，"
                     "调整优化支出结构，提高财政资金使用效益。"},
    {"规范财务资产管理", "完善财务管理制度，严格审批程序，加强固定资产登记、使用和报废处置管理，做"
                         "到支出合理，物尽其用。"},
    {"加强内部监督",
     "加强内部监督制度建设，对绩效运行情况、重大支出决策、资产处置及其他重要经济业务"
     "事项的决策和执行进行督导，确保财政资金安全有效。"},
    {"其他", "无"},
};

static json_t *safeguards(gen *g)
{
    json_t *list = json_array();
    for (size_t i = 0; i < COUNT_OF(safeguard_entries); i++) {
        json_t *s = json_object();
        put_text(g, s, "title", safeguard_entries[i].code);
        put(g, s, "text",
            i == 0 ? maybe_long(g, safeguard_entries[i].name, 2000, 4000)
                   : json_string(safeguard_entries[i].name));
        push(g, list, s);
    }
    return list;
}

/* Indicator templates: 三级指标, description, and a value pattern ("%u" a count, "%s" the
 * project's amount, or fixed). */
typedef struct indicator_template {
    const char *level3;
    const char *description;
    const char *value;
} indicator_template;

static const indicator_template quantity_templates[] = {
    {"开展培训次数", "组织开展业务培训的次数", "≥%u 次"},
    {"宣传活动场次", "开展集中宣传活动的场次", "≥%u 场"},
    {"服务对象人数", "项目惠及的服务对象人数", "≥%u 人"},
    {"检查覆盖单位数", "开展监督检查覆盖的单位数量", "≥%u 个"},
    {"印制宣传资料数量", "印制发放宣传资料的数量", "≥%u 份"},
    {"信息报送篇数", "编报工作信息的篇数", "≥%u 篇"},
    {"参训人次", "参加培训的人次", "≥%u 人次"},
};
static const indicator_template quality_templates[] = {
    {"任务完成合格率", "各项工作任务完成质量达标情况", "100%"},
    {"验收合格率", "项目验收合格情况", "≥95%"},
    {"问题整改率", "发现问题的整改落实情况", "≥90%"},
    {"资料归档完整率", "工作资料归档的完整程度", "100%"},
};
static const indicator_template time_templates[] = {
    {"工作完成及时性", "按照工作计划及时完成各项工作", "100%"},
    {"资金支付及时率", "按进度及时支付项目资金", "≥95%"},
    {"任务完成时限", "在规定时间内完成全部工作任务", "按时完成"},
};
static const indicator_template cost_templates[] = {
    {"费用预算控制数", "在财政批复的预算金额内执行", "≤%s 万元"},
};
static const indicator_template social_templates[] = {
    {"政策知晓率提升", "通过宣传提高群众对相关政策的知晓程度", "效果明显"},
    {"服务水平提升", "提升公共服务质量和水平", "显著提升"},
    {"工作规范化程度", "推动相关工作规范化、制度化", "逐步提高"},
};
static const indicator_template lasting_templates[] = {
    {"长效机制建设", "建立健全长效工作机制", "效果明显"},
    {"设备持续使用年限", "购置设备的持续使用时间", "≥3 年"},
    {"成果持续发挥作用", "项目成果持续发挥作用", "长期"},
};
static const indicator_template satisfaction_templates[] = {
    {"服务对象满意度", "服务对象对项目实施情况的满意程度", "≥95%"},
    {"群众满意度", "群众对相关工作的满意程度", "≥90%"},
};

static const char *const indicator_bases[] = {"年度工作计划", "实际工作需要", "相关政策文件",
                                              "上级工作要求"};

typedef struct indicator_group {
    const char *level1, *level2;
    const indicator_template *templates;
    size_t template_count;
    size_t rows;
} indicator_group;

static json_t *indicator_row(gen *g, const indicator_group *grp, size_t k, cents amount)
{
    const indicator_template *tpl = &grp->templates[k % grp->template_count];
    char value[64], money[32];
    if (strstr(tpl->value, "%u"))
        snprintf(value, sizeof value, tpl->value, (unsigned)rng_range(&g->rng, 1, 60));
    else if (strstr(tpl->value, "%s"))
        snprintf(value, sizeof value, tpl->value, amount_text(money, amount));
    else
        snprintf(value, sizeof value, "%s", tpl->value);
    json_t *row = json_object();
    put_text(g, row, "level1", grp->level1);
    put_text(g, row, "level2", grp->level2);
    put_text(g, row, "level3", tpl->level3);
    put(g, row, "description", maybe_long(g, tpl->description, 300, 1000));
    put_text(g, row, "value", value);
    put_text(g, row, "basis", PICK(g, indicator_bases));
    return row;
}

/* 6 to 12 rows: 1-3 数量, 1-2 质量, 1-2 时效, 1 成本, 1-3 效益 (社会, 可持续), 1 满意度. */
static json_t *indicator_rows(gen *g, cents amount)
{
    size_t benefit = (size_t)rng_range(&g->rng, 1, 3);
    size_t social = benefit == 1 ? (size_t)rng_below(&g->rng, 2) : benefit - 1;
    indicator_group groups[] = {
        {"产出指标", "数量指标", quantity_templates, COUNT_OF(quantity_templates), 0},
        {"产出指标", "质量指标", quality_templates, COUNT_OF(quality_templates), 0},
        {"产出指标", "时效指标", time_templates, COUNT_OF(time_templates), 0},
        {"产出指标", "成本指标", cost_templates, COUNT_OF(cost_templates), 1},
        {"效益指标", "社会效益指标", social_templates, COUNT_OF(social_templates), social},
        {"效益指标", "可持续影响指标", lasting_templates, COUNT_OF(lasting_templates),
         benefit - social},
        {"满意度指标", "服务对象满意度指标", satisfaction_templates,
         COUNT_OF(satisfaction_templates), 1},
    };
    groups[0].rows = (size_t)rng_range(&g->rng, 1, 3);
    groups[1].rows = (size_t)rng_range(&g->rng, 1, 2);
    groups[2].rows = (size_t)rng_range(&g->rng, 1, 2);
    json_t *rows = json_array();
    for (size_t i = 0; i < COUNT_OF(groups); i++) {
        size_t first = (size_t)rng_below(&g->rng, groups[i].template_count);
        for (size_t k = 0; k < groups[i].rows; k++)
            push(g, rows, indicator_row(g, &groups[i], first + k, amount));
    }
    return rows;
}

static json_t *project_table(gen *g, const unit_data *u, size_t index)
{
    size_t topics = COUNT_OF(u->dept->topics) + COUNT_OF(general_topics);
    const char *topic = topic_at(u->dept, index);
    textbuf name = {0};
    text_addf(&name, "%s%s", topic,
              project_suffixes[(index / topics) % COUNT_OF(project_suffixes)]);
    g->failed |= name.failed;
    json_t *p = json_object();
    put_text(g, p, "name", name.data);
    text_free(&name);
    cents amount = rng_range(&g->rng, 100, 5000);
    put_amount(g, p, "amount", amount);
    json_t *targets = json_array();
    size_t n = (size_t)rng_range(&g->rng, 2, 3);
    for (size_t k = 0; k < n; k++) {
        char *sentence = target_sentence(g, topic);
        g->failed |= !sentence;
        push(g, targets, sentence ? maybe_long(g, sentence, 300, 1000) : NULL);
        free(sentence);
    }
    put(g, p, "targets", targets);
    put(g, p, "indicators", indicator_rows(g, amount));
    return p;
}

static json_t *performance(gen *g, const unit_data *u)
{
    json_t *perf = json_object();
    textbuf t = {0};
    text_addf(&t, "2022 年，本单位将紧密围绕%s中心工作和重点任务，", u->region->name);
    for (size_t i = 0; i < COUNT_OF(u->dept->topics); i++)
        text_addf(&t, "做好%s工作；", u->dept->topics[i]);
    text_addf(&t, "着力提升%s工作的规范化、精细化水平，确保全年各项目标任务圆满完成。",
              u->dept->field);
    if (g->opt->long_text)
        add_long_text(g, &t, 3000, 6000);
    g->failed |= t.failed;
    put_text(g, perf, "overall", t.data);
    text_free(&t);
    put(g, perf, "itemised", itemised_groups(g, u));
    put(g, perf, "safeguards", safeguards(g));
    put_text(g, perf, "special_funds", "本单位无专项资金绩效目标");
    json_t *projects = json_array();
    for (size_t i = 0; i < (size_t)g->opt->projects; i++)
        push(g, projects, project_table(g, u, i));
    put(g, perf, "projects", projects);
    return perf;
}

/* ---- The unit ---- */

static json_t *build_unit(gen *g, const unit_data *u)
{
    shared_strings s = {0};
    if (!shared_strings_init(&s, u)) {
        shared_strings_free(&s);
        g->failed = true;
        return NULL;
    }
    json_t *root = json_object();
    put_text(g, root, "format", "budgetpress.unit/1");
    put(g, root, "unit", unit_info(g, u));
    put(g, root, "previous_year", previous_year(g, u));
    put(g, root, "tables", build_tables(g, u, &s));
    cents assets_total = 0;
    json_t *assets_part = assets(g, &assets_total);
    put(g, root, "explanation", build_explanation(g, u, assets_total));
    put(g, root, "organisations", organisations(g, u));
    put(g, root, "performance", performance(g, u));
    put(g, root, "procurement", procurement(g));
    put(g, root, "assets", assets_part);
    put(g, root, "glossary", glossary(g));
    shared_strings_free(&s);
    return root;
}

/* ---- Output ---- */

static char *dump_unit(json_t *root)
{
    return json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* ---- Defects: one broken unit of a known kind, for batch tests ---- */

/* Row i of 支出总表, as a private copy: the row objects are shared with 一般公共预算财政拨款支出表,
 * which a defect must leave intact. */
static json_t *expense_row(gen *g, json_t *root, size_t i)
{
    json_t *tables = json_object_get(root, "tables");
    json_t *rows = json_object_get(json_object_get(tables, "expense_summary"), "rows");
    json_t *copy = json_deep_copy(json_array_get(rows, i));
    if (json_array_set_new(rows, i, copy) != 0)
        g->failed = true;
    return copy;
}

/* Index of a random row of the given level; the core rows guarantee every level exists. */
static size_t random_row_of_level(gen *g, const unit_data *u, level lvl)
{
    size_t count = 0;
    for (size_t i = 0; i < u->row_count; i++)
        count += u->rows[i].level == lvl;
    size_t pick = (size_t)rng_below(&g->rng, count);
    for (size_t i = 0; i < u->row_count; i++)
        if (u->rows[i].level == lvl && pick-- == 0)
            return i;
    return 0;
}

/* The start of the UTF-8 character at or before byte i, so that a cut never splits one. */
static size_t char_boundary(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* U+E000 (private use, in no font) in the middle of a 项 name of 支出总表 only; the name is
 * shared with the other ledgers, so the row gets a new string rather than an edited one. */
static void insert_glyph_defect(gen *g, const unit_data *u, json_t *root)
{
    size_t i = random_row_of_level(g, u, LEVEL_XIANG);
    const char *name = u->rows[i].name;
    size_t cut = char_boundary(name, strlen(name) / 2);
    textbuf t = {0};
    text_addf(&t, "%.*s\xEE\x80\x80%s", (int)cut, name, name + cut);
    g->failed |= t.failed;
    put(g, expense_row(g, root, i), "name", json_string(t.data));
    text_free(&t);
}

/* Defects that live in the JSON tree; syntax is applied to the dumped text. */
static void apply_tree_defect(gen *g, const unit_data *u, json_t *root, defect_kind kind)
{
    if (kind == DEFECT_SCHEMA) {
        json_t *row = expense_row(g, root, (size_t)rng_below(&g->rng, u->row_count));
        put_text(g, json_object_get(row, "amounts"), "total", "3l.00");
    } else if (kind == DEFECT_SUM) {
        /* A 类 that no longer equals the sum of its 款; only the arithmetic rules see it. */
        size_t i = random_row_of_level(g, u, LEVEL_CLASS);
        const fn_row *row = &u->rows[i];
        put_amount(g, json_object_get(expense_row(g, root, i), "amounts"), "total",
                   row->basic + row->project + 10);
    } else if (kind == DEFECT_GLYPH) {
        insert_glyph_defect(g, u, root);
    }
}

/* Cuts the JSON text off in the middle, so the top-level object never closes. */
static size_t truncated_length(const char *json_text)
{
    size_t len = strlen(json_text);
    return char_boundary(json_text, len / 2);
}

/* Which defect unit `index` gets: --defect-every breaks every K-th unit of a batch, with the
 * kind given or cycling through all of them; otherwise --defect applies to every unit. */
static defect_kind defect_for(const options *opt, uint64_t index)
{
    if (!opt->count || !opt->defect_every)
        return opt->defect;
    uint64_t k = (uint64_t)opt->defect_every;
    if ((index + 1) % k != 0)
        return DEFECT_NONE;
    if (opt->defect != DEFECT_NONE)
        return opt->defect;
    return (defect_kind)(DEFECT_SYNTAX + ((index + 1) / k - 1) % 4);
}

/* ---- Writing units ---- */

static char *unit_file_path(const char *dir, const char *code)
{
    textbuf t = {0};
    size_t n = strlen(dir);
    text_addf(&t, "%s%s%s-2022.json", dir, n && dir[n - 1] == '/' ? "" : "/", code);
    char *path = text_take_copy(&t);
    text_free(&t);
    return path;
}

/* Builds and dumps unit `index`; returns the JSON text (caller frees) and its unit code. */
static char *generate_text(const options *opt, uint64_t index, char code[16], size_t *len)
{
    gen g = {rng_for_unit(opt->seed, index), opt, false};
    unit_data u;
    json_t *root = NULL;
    defect_kind defect = defect_for(opt, index);
    if (make_unit_data(&g, index, &u) && (!opt->long_text || lengthen_row_names(&g, &u))) {
        root = build_unit(&g, &u);
        apply_tree_defect(&g, &u, root, defect);
    } else {
        g.failed = true;
    }
    snprintf(code, 16, "%s", u.code);
    unit_data_free(&u);
    char *json_text = g.failed || !root ? NULL : dump_unit(root);
    json_decref(root);
    if (json_text)
        *len = defect == DEFECT_SYNTAX ? truncated_length(json_text) : strlen(json_text);
    return json_text;
}

/* One unit to a file (or stdout), or with dir set, to dir/<code>-2022.json. */
static int generate_one(const options *opt, uint64_t index, const char *file, const char *dir)
{
    char code[16];
    size_t len = 0;
    char *json_text = generate_text(opt, index, code, &len);
    if (!json_text) {
        fputs("bpgen: out of memory\n", stderr);
        return EXIT_IO;
    }
    char *path = dir ? unit_file_path(dir, code) : NULL;
    if (dir && !path)
        fputs("bpgen: out of memory\n", stderr);
    int rc = dir && !path ? EXIT_IO : write_text(dir ? path : file, json_text, len);
    free(path);
    free(json_text);
    return rc;
}

static int generate_batch(const options *opt)
{
    if (!make_directories(opt->output)) {
        fprintf(stderr, "bpgen: cannot create directory %s: %s\n", opt->output, strerror(errno));
        return EXIT_IO;
    }
    for (uint64_t i = 0; i < (uint64_t)opt->count; i++) {
        int rc = generate_one(opt, i, NULL, opt->output);
        if (rc != EXIT_OK)
            return rc;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (!table_is_sorted(function_classes, CLASS_COUNT) ||
        !table_is_sorted(function_entries, COUNT_OF(function_entries)) ||
        !table_is_sorted(economic_entries, ECONOMIC_COUNT) ||
        !table_is_sorted(mapped_xiang, COUNT_OF(mapped_xiang))) {
        fputs("bpgen: internal error: a classification table is out of code order\n", stderr);
        return EXIT_IO;
    }
    options opt;
    int rc = parse_options(argc, argv, &opt);
    if (rc >= 0)
        return rc;
    if (opt.from) {
        kind_options k = {opt.from, opt.layout, opt.seed, opt.rows, opt.count, opt.output};
        return generate_of_kind(&k);
    }
    return opt.count ? generate_batch(&opt) : generate_one(&opt, 0, opt.output, NULL);
}
