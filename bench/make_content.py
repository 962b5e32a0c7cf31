"""Write synthetic content in our own format, for build benchmarks (bench data only, never shipped as content).

usage: .venv/bin/python bench/make_content.py --subitems N --out DIR [--seed S] [--hugo-out DIR] [--force]

The province is scaled to N: about 100 * sqrt(N / 100,000) regions (10 at 1,000, 32 at 10,000, 100 at 100,000),
the 14 cities of 辽宁省 first, then their counties taken in turn so that they spread over the province; a city
carries about twice a county's sub-items (~1,800 against ~870 at 100,000). Each region gets 20-40 departments
(the 行政审批局 with its 科), items of 1-4 sub-items sharing `guide_defaults`, and guides of realistic size:
~5 materials, ~4 steps, form fields when online, ~2 FAQs and a Markdown body of ~1.5 KB of Chinese text.
Phone numbers are 12345-style service numbers or numbers under each city's real area code.

The output is a function of N and the seed only: each region draws from its own random generator, seeded by
seed and region code. --hugo-out also writes the same guides as a Hugo site (content/<region>/<code>.md, the
merged front matter as page params, the same body) with a minimal layout, for bench/build_speed.py.
The YAML is written as text, not with yaml.dump: the writer knows the few shapes it emits.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE_CONTENT = ROOT / "content"
# Marks a folder as written by this script; --force deletes only folders that carry it.
MARKER = ".synthetic-content.json"
SYNTHETIC_SOURCE = "合成基准数据（bench/make_content.py 生成的号码，并非真实电话）"
"""Every synthetic number says what it is: the build publishes a number only with its source."""
Record = dict[str, Any]
"""A YAML mapping as the generator writes it."""

# GB/T 2260 city codes with slug, area code (抚顺, 本溪 and 铁岭 dial 024 since 2010) and postcode.
CITIES = """
210100 沈阳市 shenyang 024 110000
210200 大连市 dalian 0411 116000
210300 鞍山市 anshan 0412 114000
210400 抚顺市 fushun 024 113000
210500 本溪市 benxi 024 117000
210600 丹东市 dandong 0415 118000
210700 锦州市 jinzhou 0416 121000
210800 营口市 yingkou 0417 115000
210900 阜新市 fuxin 0418 123000
211000 辽阳市 liaoyang 0419 111000
211100 盘锦市 panjin 0427 124000
211200 铁岭市 tieling 024 112000
211300 朝阳市 chaoyang 0421 122000
211400 葫芦岛市 huludao 0429 125000
"""

# County-level divisions (区, 县, 县级市); the first four digits name their city.
COUNTIES = """
210102 和平区 heping|210103 沈河区 shenhe|210104 大东区 dadong|210105 皇姑区 huanggu|210106 铁西区 tiexi
210111 苏家屯区 sujiatun|210112 浑南区 hunnan|210113 沈北新区 shenbei|210114 于洪区 yuhong
210115 辽中区 liaozhong|210123 康平县 kangping|210124 法库县 faku|210181 新民市 xinmin
210202 中山区 zhongshan|210203 西岗区 xigang|210204 沙河口区 shahekou|210211 甘井子区 ganjingzi
210212 旅顺口区 lvshunkou|210213 金州区 jinzhou|210214 普兰店区 pulandian|210224 长海县 changhai
210281 瓦房店市 wafangdian|210283 庄河市 zhuanghe
210302 铁东区 tiedong|210303 铁西区 tiexi|210304 立山区 lishan|210311 千山区 qianshan|210321 台安县 taian
210323 岫岩满族自治县 xiuyan|210381 海城市 haicheng
210402 新抚区 xinfu|210403 东洲区 dongzhou|210404 望花区 wanghua|210411 顺城区 shuncheng
210421 抚顺县 fushunxian|210422 新宾满族自治县 xinbin|210423 清原满族自治县 qingyuan
210502 平山区 pingshan|210503 溪湖区 xihu|210504 明山区 mingshan|210505 南芬区 nanfen
210521 本溪满族自治县 benxixian|210522 桓仁满族自治县 huanren
210602 元宝区 yuanbao|210603 振兴区 zhenxing|210604 振安区 zhenan|210624 宽甸满族自治县 kuandian
210681 东港市 donggang|210682 凤城市 fengcheng
210702 古塔区 guta|210703 凌河区 linghe|210711 太和区 taihe|210726 黑山县 heishan|210727 义县 yixian
210781 凌海市 linghai|210782 北镇市 beizhen
210802 站前区 zhanqian|210803 西市区 xishi|210804 鲅鱼圈区 bayuquan|210811 老边区 laobian
210881 盖州市 gaizhou|210882 大石桥市 dashiqiao
210902 海州区 haizhou|210903 新邱区 xinqiu|210904 太平区 taiping|210905 清河门区 qinghemen
210911 细河区 xihe|210921 阜新蒙古族自治县 fuxinxian|210922 彰武县 zhangwu
211002 白塔区 baita|211003 文圣区 wensheng|211004 宏伟区 hongwei|211005 弓长岭区 gongchangling
211011 太子河区 taizihe|211021 辽阳县 liaoyangxian|211081 灯塔市 dengta
211102 双台子区 shuangtaizi|211103 兴隆台区 xinglongtai|211104 大洼区 dawa|211122 盘山县 panshan
211202 银州区 yinzhou|211204 清河区 qinghe|211221 铁岭县 tielingxian|211223 西丰县 xifeng
211224 昌图县 changtu|211281 调兵山市 diaobingshan|211282 开原市 kaiyuan
211302 双塔区 shuangta|211303 龙城区 longcheng|211321 朝阳县 chaoyangxian|211322 建平县 jianping
211324 喀喇沁左翼蒙古族自治县 kazuo|211381 北票市 beipiao|211382 凌源市 lingyuan
211402 连山区 lianshan|211403 龙港区 longgang|211404 南票区 nanpiao|211421 绥中县 suizhong
211422 建昌县 jianchang|211481 兴城市 xingcheng
"""

CITY_WEIGHT = 2.1  # a city's share of sub-items against a county's 1.0

# Departments: code, name after the region's name, what it does. The 科 (children) follow their 局.
DEPARTMENTS = """
xzspj 行政审批局 集中办理由各部门划转的行政许可事项
gaj 公安局 办理户籍、居民身份证和出入境证件业务
mzj 民政局 办理社会救助、婚姻登记、社会组织和养老服务事项
rsj 人力资源和社会保障局 办理就业、社会保险和社会保障卡业务
gjj 住房公积金管理中心 办理住房公积金缴存、提取和贷款业务
scjgj 市场监督管理局 办理市场主体登记、食品和特种设备监管事项
wjw 卫生健康委员会 办理医疗机构、医师护士执业和公共场所卫生事项
jyj 教育局 办理民办学校、教师资格和学籍事项
zrzyj 自然资源局 办理规划、用地和不动产登记事项
zjj 住房和城乡建设局 办理建筑工程施工、房屋交易和物业事项
jtj 交通运输局 办理道路运输经营和出租汽车事项
nyncj 农业农村局 办理种子、兽药、农药和动物防疫事项
slj 水利局 办理取水、河道管理范围内建设项目事项
sthj 生态环境局 办理排污许可和环境影响评价事项
whlyj 文化旅游和广播电视局 办理娱乐场所、旅行社和文物事项
yjglj 应急管理局 办理危险化学品和烟花爆竹经营事项
swj 税务局 办理纳税人登记、发票和纳税申报事项
ybj 医疗保障局 办理医疗保险参保、异地就医备案和报销事项
tyjrswj 退役军人事务局 办理退役军人安置和优抚事项
sfj 司法局 办理法律援助、公证和人民调解事项
czj 财政局 办理政府采购和财政票据事项
swuj 商务局 办理对外贸易经营者备案和报废机动车回收事项
gxj 工业和信息化局 办理无线电和民用爆炸物品事项
fgw 发展和改革委员会 办理企业投资项目核准和备案
lcj 林业和草原局 办理林木采伐和野生动植物事项
tyj 体育局 办理高危险性体育项目经营事项
qxj 气象局 办理防雷装置设计审核和竣工验收
cjrlh 残疾人联合会 办理残疾人证和残疾人两项补贴
dag 档案馆 提供档案查询和利用服务
rfb 人民防空办公室 办理人防工程建设和拆除事项
mzzjj 民族宗教事务局 办理宗教活动场所事项
tjj 统计局 办理统计调查项目审批
cgj 城市管理综合行政执法局 办理户外广告设置和城市道路占用事项
kjj 科学技术局 办理科技成果登记和科学技术奖励
sjj 审计局 提供审计结果公告查询
zgh 总工会 办理困难职工帮扶事项
flh 妇女联合会 提供妇女儿童维权服务
gsl 工商业联合会 提供民营企业服务
yczm 烟草专卖局 办理烟草专卖零售许可
dzj 地震局 办理建设工程抗震设防要求确定
"""
CHILDREN = {
    "xzspj": [
        "shsw 社会事务科",
        "tzjs 投资建设科",
        "sczr 市场准入科",
        "nysl 农业水利科",
        "wjws 文教卫生科",
        "jtys 交通运输科",
    ],
    "gaj": ["hzgl 户政管理科", "crjgl 出入境管理科"],
    "scjgj": ["djzc 登记注册科", "spjy 食品经营监督管理科"],
}

# Topics: name, slug, audiences (自 = 自然人, 法 = 法人), item type.
TOPICS = """
医疗机构执业|yiliao-jigou|法|行政许可
护士执业注册|hushi-zhiye|自|行政许可
食品经营|shipin-jingying|法|行政许可
药品零售企业|yaopin-lingshou|法|行政许可
公共场所卫生|gonggong-changsuo|法|行政许可
民办学校办学|minban-xuexiao|法|行政许可
道路货物运输经营|daolu-yunshu|法|行政许可
出租汽车经营|chuzu-qiche|法|行政许可
建筑工程施工|jianzhu-shigong|法|行政许可
户外广告设置|huwai-guanggao|法|行政许可
林木采伐|linmu-caifa|自法|行政许可
取水|qushui|法|行政许可
种子生产经营|zhongzi-jingying|法|行政许可
兽药经营|shouyao-jingying|法|行政许可
娱乐场所经营|yule-changsuo|法|行政许可
烟花爆竹经营|yanhua-baozhu|法|行政许可
危险化学品经营|weihuapin-jingying|法|行政许可
城市排水|chengshi-paishui|法|行政许可
社会团体|shehui-tuanti|法|行政许可
民办非企业单位|minfei-danwei|法|行政许可
烟草专卖零售|yancao-lingshou|自法|行政许可
残疾人证|canjiren-zheng|自|行政确认
户口|hukou-dengji|自|行政确认
婚姻|hunyin-dengji|自|行政确认
不动产|budongchan-dengji|自法|行政确认
特种设备使用|tezhong-shebei|法|行政确认
科技成果|keji-chengguo|自法|行政确认
社会保障卡|shebao-ka|自|公共服务
住房公积金提取|gongjijin-tiqu|自|公共服务
档案查询|dangan-chaxun|自法|公共服务
居住证|juzhuzheng|自|公共服务
出生医学证明|chusheng-zhengming|自|公共服务
职业技能等级认定|zhiye-jineng|自|公共服务
就业登记|jiuye-dengji|自法|公共服务
失业登记|shiye-dengji|自|公共服务
灵活就业人员参保|linghuo-jiuye|自|公共服务
异地就医备案|yidi-jiuyi|自|公共服务
法律援助|falv-yuanzhu|自|公共服务
单位住房公积金缴存|danwei-jiaocun|法|公共服务
失业保险金|shiye-baoxianjin|自|行政给付
最低生活保障|dibao|自|行政给付
临时救助|linshi-jiuzhu|自|行政给付
高龄津贴|gaoling-jintie|自|行政给付
残疾人两项补贴|canjiren-butie|自|行政给付
优抚对象抚恤补助|youfu-buzhu|自|行政给付
养老机构|yanglao-jigou|法|行政备案
第二类医疗器械经营|yiliao-qixie|法|行政备案
对外贸易经营者|waimao-jingying|法|行政备案
企业投资项目|touzi-xiangmu|法|行政备案
建设工程竣工验收|jungong-yanshou|法|其他行政权力
防雷装置设计审核|fanglei-sheji|法|其他行政权力
见义勇为人员|jianyi-yongwei|自|行政奖励
科学技术奖|keji-jiang|自法|行政奖励
林木林地权属争议|linquan-zhengyi|自法|行政裁决
"""

TYPE_CODES = {
    "行政许可": "XK",
    "行政给付": "JF",
    "行政确认": "QR",
    "行政奖励": "JL",
    "行政裁决": "CJ",
    "行政备案": "BA",
    "其他行政权力": "QT",
    "公共服务": "GG",
}
# The item's name is the topic plus this; each sub-item is the topic plus one of the actions.
TYPE_NOUNS = {
    "行政许可": "许可",
    "行政给付": "给付",
    "行政确认": "登记",
    "行政奖励": "奖励",
    "行政裁决": "裁决",
    "行政备案": "备案",
    "其他行政权力": "审核",
    "公共服务": "服务",
}
ACTIONS = {
    "行政许可": ["设立 sheli", "变更 biangeng", "延续 yanxu", "注销 zhuxiao"],
    "行政确认": ["登记 dengji", "变更登记 biangeng", "补发 bufa", "注销登记 zhuxiao"],
    "行政给付": ["申领 shenling", "待遇变更 biangeng", "暂停发放 zanting", "恢复发放 huifu"],
    "公共服务": ["办理 banli", "信息查询 chaxun", "补办 buban", "信息变更 biangeng"],
    "行政备案": ["首次备案 shouci", "变更备案 biangeng", "延续备案 yanxu", "注销备案 zhuxiao"],
    "其他行政权力": ["申请 shenqing", "复核 fuhe", "变更 biangeng", "撤回 chehui"],
    "行政奖励": ["推荐申报 shenbao", "评审 pingshen", "表彰公示 gongshi", "奖金发放 fafang"],
    "行政裁决": ["申请 shenqing", "调解 tiaojie", "裁决 caijue", "复核 fuhe"],
}
SUBITEM_COUNTS = (1, 2, 3, 4)
SUBITEM_WEIGHTS = (40, 30, 20, 10)

CONDITIONS = [
    "申请人具有完全民事行为能力，或者由其法定代理人代为申请。",
    "申请人为依法设立的企业、事业单位或者社会组织。",
    "符合{topic}相关法律、法规规定的条件和标准。",
    "有与所申请事项相适应的场所、设施和设备，并符合安全、卫生和环境保护要求。",
    "有与业务规模相适应的专业技术人员和管理人员。",
    "近三年内无与{topic}有关的违法违规记录。",
    "在{region}行政区域内有固定住所或者经营场所。",
    "已按规定参加社会保险并足额缴纳社会保险费。",
    "提交的申请材料齐全、真实、有效，符合法定形式。",
    "已取得相关部门的前置审批文件（不需要前置审批的除外）。",
]
STEPS = {
    "申请": [
        "申请人通过{site}网上申报，或到{centre}窗口提交申请材料。",
        "申请人登录{site}，在本事项页面点击“在线申报”填写申请表并上传材料。",
    ],
    "受理": [
        "材料齐全、符合法定形式的，予以受理；材料不全的，当场或者在 5 个工作日内一次性告知需要补正的全部内容。",
        "窗口工作人员核对申请材料，符合要求的出具受理通知书。",
    ],
    "审查": ["对申请材料进行审查，必要时组织现场核查或专家评审。", "承办科室对申请材料的实质内容进行审核。"],
    "决定": [
        "作出准予或者不予办理的决定；不予办理的，书面说明理由并告知申请人依法享有的权利。",
        "经审查符合条件的，作出准予决定。",
    ],
    "送达": ["办理结果可窗口领取或邮寄送达，也可在个人中心下载电子证照。", "通过短信通知申请人领取办理结果。"],
    "办结": ["窗口当场办结，并将办理结果交付申请人。"],
}
PROMISE_STEPS = ["申请", "受理", "审查", "决定", "送达"]
IMMEDIATE_STEPS = ["申请", "受理", "办结"]

# Materials: id, name, kind, notes, who may be asked for it (自 自然人, 法 法人); "!" marks an optional one.
PERSONAL_FIRST = "id-card|申请人有效身份证件|原件|核验后退还；网上申报的上传身份证正反面照片。|自"
LEGAL_FIRST = "business-license|营业执照或法人登记证书|复印件|已归集电子证照的免于提交。|法"
MATERIALS = """
application-form|{name}申请表|原件|由申请人签字，单位申请的加盖公章。|自法
!authorization|授权委托书及受托人身份证件|原件|委托他人办理的提供。|自法
legal-rep-id|法定代表人身份证明|复印件||法
premises|场所使用权证明|复印件|房屋产权证明或一年以上的租赁合同。|法
floor-plan|场所平面布局图|原件|标明各功能区域的位置和面积。|法
staff-list|专业技术人员名册及资格证明|复印件||法
rules|管理制度文本|原件||法
photo|近期一寸免冠彩色照片|原件|白色背景。|自
commitment|告知承诺书|原件|按格式文本填写并签字。|自法
!certificate|原许可证或登记证书|原件|变更、延续、注销的提供。|自法
bank-account|本人银行账户信息|电子件|用于发放待遇，须为本人账户。|自
household|居民户口簿|原件||自
!marriage|婚姻状况证明|原件||自
income|家庭收入情况说明|原件||自
medical|医学证明或体检报告|原件|二级以上医疗机构出具。|自
contract|劳动合同或聘用证明|复印件||自
safety-plan|安全管理制度和应急预案|原件||法
!eia|环境影响评价文件|电子件|依法需要环境影响评价的提供。|法
!tax-record|纳税情况证明|电子件|可由税务部门数据共享获取的免于提交。|法
!residence-permit|居住证|复印件|非本地户籍人员提供。|自
"""

FORM_PERSONAL = [
    ("applicant_name", "申请人姓名", "text", "real_name"),
    ("id_number", "身份证号码", "id_number", "id_number"),
    ("phone", "联系电话", "phone", "phone"),
]
FORM_LEGAL = [
    ("organization_name", "单位名称", "text", "organization_name"),
    ("credit_code", "统一社会信用代码", "text", "credit_code"),
    ("legal_representative", "法定代表人", "text", "legal_representative"),
    ("contact_phone", "联系电话", "phone", "phone"),
]
# Extra fields: name, label, type, options separated by /, required.
FORM_EXTRAS = """
reason|申请事由|textarea||1
apply_date|拟办理日期|date||1
address|通讯地址|text||1
email|电子邮箱|email||0
quantity|申请数量|number||1
delivery|领取方式|select|窗口领取/邮寄送达|1
category|申请类别|select|首次申请/变更/补办/延续|1
floor_area|场所面积（平方米）|number||1
remarks|备注|textarea||0
start_date|开始日期|date||0
"""

FAQS = [
    ("{name}可以网上办理吗？", "可以。登录{site}并完成实名认证后，进入本事项页面点击“在线申报”即可。"),
    (
        "网上申报后还需要到窗口吗？",
        "材料审查通过后，可选择窗口领取或邮寄送达；需要核验原件的，工作人员会提前电话告知。",
    ),
    ("可以委托他人办理吗？", "可以。受托人需携带本人有效身份证件和授权委托书原件。"),
    ("材料不齐全怎么办？", "窗口将一次性告知需要补正的全部内容，补齐后即可受理，补正时间不计入办理时限。"),
    ("如何查询办理进度？", "登录后在个人中心“我的申请”中查看，也可拨打咨询电话 {phone}。"),
    ("对办理结果不服怎么办？", "可以在收到决定之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。"),
    ("办理{name}需要多长时间？", "承诺办结时限为 {promised} 个工作日，自受理之日起计算。"),
    ("异地可以办理吗？", "本事项已纳入“跨省通办”“省内通办”，可在{site}网上申报，或到就近的政务服务中心窗口办理。"),
]

LAWS = [
    "《中华人民共和国行政许可法》",
    "《优化营商环境条例》（国务院令第722号）",
    "《辽宁省优化营商环境条例》",
    "《国务院关于在线政务服务的若干规定》（国务院令第716号）",
    "《中华人民共和国社会保险法》",
    "《中华人民共和国食品安全法》",
    "《医疗机构管理条例》",
    "《中华人民共和国道路运输条例》",
    "《社会救助暂行办法》（国务院令第649号）",
    "《住房公积金管理条例》",
    "《中华人民共和国建筑法》",
    "《中华人民共和国水法》",
    "《中华人民共和国森林法》",
    "《社会团体登记管理条例》",
]

BODY_OPENINGS = [
    "{name}是{dept}依法办理的{item_type}事项，服务对象为{audiences}。",
    "本指南适用于在{region}行政区域内申请{name}的{audiences}。",
    "{region}对{name}实行“一窗受理、集成服务”，申请人可选择网上申报或窗口办理。",
]
BODY_SENTENCES = [
    "申请人可通过{site}网上申报，也可到{centre}窗口现场办理。",
    "网上申报的，请按要求上传清晰、完整的材料电子件，系统将自动校验文件格式和大小。",
    "材料齐全、符合法定形式的，窗口当场受理并出具受理通知书；材料不全的，一次性告知需要补正的全部内容。",
    "办理进度可在个人中心“我的申请”中查询，也可拨打咨询电话了解。",
    "办理结果可选择窗口领取或邮寄送达，邮寄费用由政府承担。",
    "委托他人办理的，受托人应当携带本人有效身份证件和授权委托书。",
    "申请人对所提交材料的真实性负责，提供虚假材料的，依法承担相应的法律责任。",
    "本事项已纳入“一网通办”，实现全程网办，办事群众最多跑一次。",
    "对办理结果有异议的，可以依法申请行政复议或者提起行政诉讼。",
    "逾期未补正的，视为放弃申请，申请人可以重新提出申请。",
    "{region}政务服务中心实行首问负责、一次性告知和限时办结制度。",
    "节假日期间的办理安排，以{site}发布的通知为准。",
    "需要现场核查的，工作人员将提前电话联系申请人，核查时间不计入承诺办结时限。",
    "涉及公示的，公示期为 5 个工作日，公示期不计入办理时限。",
    "已完成实名认证的用户，申请表中的姓名、证件号码和联系电话将自动填写。",
    "复印件应当注明“与原件一致”，并由申请人签字或者加盖公章。",
    "外国人、港澳台居民办理的，请携带有效护照或者往来内地通行证。",
    "已归集电子证照的材料，经申请人授权后可免于提交纸质材料。",
    "符合容缺受理条件的，可先行受理，申请人应在承诺期限内补齐材料。",
    "{dept}将对办理情况进行回访，欢迎对服务质量提出意见和建议。",
    "申请人可在线评价本次服务，评价结果纳入窗口工作人员的考核。",
    "同一申请人在办理期间不得就同一事项重复提出申请。",
]
BODY_TIPS = [
    "请使用本人账号登录后申报，不要借用他人账号。",
    "上传的材料应当为原件的彩色扫描件或照片，单个文件不超过规定大小。",
    "窗口办理请提前在{site}预约，按预约时段到达。",
    "申请表中的联系电话请保持畅通，以便接收短信通知。",
    "办理结果邮寄送达的，请准确填写收件地址。",
    "受理后可在“我的申请”中查看审查意见和补正要求。",
    "材料存在涂改的，应当由申请人在涂改处签字确认。",
    "未成年人办理的，应当由其监护人陪同。",
]

ORDINALS = "一二三四五六七八九"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    slug: str
    area_code: str
    postcode: str
    city_name: str
    is_city: bool


def _cities() -> list[RegionSpec]:
    rows = [line.split() for line in CITIES.strip().splitlines()]
    return [RegionSpec(code, name, slug, area, post, name, True) for code, name, slug, area, post in rows]


def _counties() -> dict[str, list[RegionSpec]]:
    cities = {city.code[:4]: city for city in _cities()}
    by_city: dict[str, list[RegionSpec]] = {code: [] for code in cities}
    for entry in COUNTIES.replace("\n", "|").split("|"):
        if not entry.strip():
            continue
        code, name, pinyin = entry.split()
        city = cities[code[:4]]
        # Counties share their city's dialling code; postcodes are synthetic but keep the city's prefix.
        postcode = f"{city.postcode[:3]}{len(by_city[code[:4]]) + 1:01d}00"
        by_city[code[:4]].append(
            RegionSpec(code, name, f"{city.slug}-{pinyin}", city.area_code, postcode, city.name, False)
        )
    return by_city


def region_count(subitems: int) -> int:
    """About 100 regions at 100,000 sub-items, growing with the square root of the size."""
    return max(1, min(14 + sum(map(len, _counties().values())), round(100 * math.sqrt(subitems / 100_000))))


def choose_regions(subitems: int) -> list[RegionSpec]:
    """The cities first, then the counties in turns over the cities, so small runs still span the province."""
    regions = _cities()
    queues = [list(counties) for counties in _counties().values()]
    while any(queues):
        regions += [queue.pop(0) for queue in queues if queue]
    return regions[: region_count(subitems)]


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split total over the weights by largest remainder; every share gets at least one when it can."""
    scale = total / sum(weights)
    shares = [max(1, math.floor(w * scale)) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: weights[i] * scale - math.floor(weights[i] * scale), reverse=True)
    index = 0
    while sum(shares) < total:
        shares[order[index % len(order)]] += 1
        index += 1
    while sum(shares) > total:
        largest = max(range(len(shares)), key=shares.__getitem__)
        shares[largest] -= 1
    return shares


# --- the YAML writer -------------------------------------------------------------------------------------------

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}
FLOW_KEYS = {"audiences", "formats", "options"}


@lru_cache(maxsize=65536)
def scalar(text: str) -> str:
    """A string as a plain YAML scalar when that reads back as the same string, else double-quoted."""
    plain = (
        text
        and text[0] not in _INDICATORS
        and not text[0].isdigit()
        and not text[0].isspace()
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and "\n" not in text
        and text.lower() not in _RESERVED
        and not re.fullmatch(r"[-+.\d]+", text)
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    return scalar(value)


_FLOW_CHARS = set(",[]{}")


def _flow(values: list[Any]) -> str:
    """A short list on one line; commas and brackets inside an item need quotes there."""
    items = (
        json.dumps(value, ensure_ascii=False) if isinstance(value, str) and set(value) & _FLOW_CHARS else _value(value)
        for value in values
    )
    return "[" + ", ".join(items) + "]"


def emit(out: list[str], mapping: Record, pad: str = "") -> None:
    """Append mapping as block YAML lines: nested mappings, lists of mappings, short lists in flow style."""
    for key, value in mapping.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            emit(out, value, pad + "  ")
        elif isinstance(value, list) and key in FLOW_KEYS:
            out.append(f"{pad}{key}: {_flow(value)}")
        elif isinstance(value, list):
            out.append(f"{pad}{key}:")
            for element in value:
                if isinstance(element, dict):
                    start = len(out)
                    emit(out, element, pad + "    ")
                    out[start] = f"{pad}  - {out[start][len(pad) + 4 :]}"
                else:
                    out.append(f"{pad}  - {_value(element)}")
        else:
            out.append(f"{pad}{key}: {_value(value)}")


def yaml_text(mapping: Record) -> str:
    lines: list[str] = []
    emit(lines, mapping)
    return "\n".join(lines) + "\n"


def yaml_list(mappings: list[Record]) -> str:
    """A top-level list of mappings (departments.yaml)."""
    lines: list[str] = []
    for mapping in mappings:
        start = len(lines)
        emit(lines, mapping, "  ")
        lines[start] = "- " + lines[start][2:]
    return "\n".join(lines) + "\n"


# --- one region ------------------------------------------------------------------------------------------------


def _department_pool() -> list[tuple[str, str, str]]:
    pool = []
    for line in DEPARTMENTS.strip().splitlines():
        code, name, duty = line.split(maxsplit=2)
        pool.append((code, name, duty))
    return pool


def _topics() -> list[tuple[str, str, list[str], str]]:
    rows = [line.split("|") for line in TOPICS.strip().splitlines()]
    audiences = {"自": "自然人", "法": "法人"}
    return [(name, slug, [audiences[c] for c in who], kind) for name, slug, who, kind in rows]


Material = tuple[str, str, str, str, bool, str]


def _material(line: str) -> Material:
    ident, name, kind, notes, who = line.split("|")
    return ident.lstrip("!"), name, kind, notes, not ident.startswith("!"), who


def _materials() -> dict[str, list[Material]]:
    """Optional materials by the first audience of a guide (the form fields follow the same audience)."""
    rows = [_material(line) for line in MATERIALS.strip().splitlines()[1:]]
    return {"自然人": [r for r in rows if "自" in r[5]], "法人": [r for r in rows if "法" in r[5]]}


def _form_extras() -> list[Record]:
    fields = []
    for line in FORM_EXTRAS.strip().splitlines():
        name, label, kind, options, required = line.split("|")
        field: Record = {"name": name, "label": label, "type": kind}
        if required == "0":
            field["required"] = False
        if options:
            field["options"] = options.split("/")
        fields.append(field)
    return fields


TOPIC_ROWS = _topics()
MATERIAL_ROWS = _materials()
FIRST_MATERIALS = {"自然人": _material(PERSONAL_FIRST), "法人": _material(LEGAL_FIRST)}
APPLICATION_FORM = _material(MATERIALS.strip().splitlines()[0])
FORM_EXTRA_FIELDS = _form_extras()


class RegionWriter:
    """Draws one region's departments, items and guides from its own generator and writes them."""

    def __init__(self, spec: RegionSpec, subitems: int, seed: int, order: int, files: list[str]) -> None:
        self.spec = spec
        self.subitems = subitems
        self.order = order
        self.files = files
        self.rng = random.Random(f"{seed}:{spec.code}")
        # Numbers under the region's dialling code: one exchange, then a running line number.
        digits = 8 if spec.area_code in ("024", "0411") else 7
        self.exchange = str(self.rng.randint(2, 8)) + "".join(str(self.rng.randint(0, 9)) for _ in range(digits - 5))
        self.next_line = 1000
        self.written = 0
        """Bytes written so far, for the summary line (cheaper than walking 100,000 files afterwards)."""
        # 鞍山政务服务网 for a city, 海城市政务服务网 for a county-level city or county.
        self.site = f"{spec.name.removesuffix('市') if spec.is_city else spec.name}政务服务网"
        self.centre = f"{spec.name}政务服务中心"

    def put(self, path: Path, text: str) -> None:
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.written += len(data)

    def phone(self) -> str:
        self.next_line += 1
        return f"{self.spec.area_code}-{self.exchange}{self.next_line:04d}"

    def region_yaml(self) -> str:
        spec = self.spec
        return yaml_text(
            {
                "code": spec.code,
                "name": spec.name,
                "slug": spec.slug,
                "site_name": self.site,
                "area_code": spec.area_code,
                "postcode": spec.postcode,
                "hotline": "12345",
                "order": self.order,
                "service_centre": {
                    "name": self.centre,
                    "address": f"{spec.name}{self.rng.choice(['人民路', '中华路', '建设大街', '文化路', '新华街'])}"
                    f"{self.rng.randint(1, 299)}号",
                    "hours": "周一至周五 上午 8:30—11:30，下午 13:00—16:30（法定节假日除外）",
                    "phone": self.phone(),
                    "phone_source": SYNTHETIC_SOURCE,
                },
                "support_contacts": [
                    {
                        "department": "软件运维",
                        "phone": self.phone(),
                        "source": SYNTHETIC_SOURCE,
                        "duty": "网上申报系统故障、页面无法打开或提交失败",
                    },
                    {
                        "department": "技术服务部",
                        "phone": self.phone(),
                        "source": SYNTHETIC_SOURCE,
                        "duty": "账号注册、登录和材料上传的使用咨询",
                    },
                ],
            }
        )

    def departments(self) -> list[Record]:
        """20-40 departments: the 行政审批局 and 公安局 with their 科 always, then a random choice of the rest."""
        wanted = self.rng.randint(20, 40)
        pool = _department_pool()
        fixed, rest = pool[:2], pool[2:]
        self.rng.shuffle(rest)
        chosen: list[Record] = []
        for code, name, duty in fixed + rest:
            if len(chosen) >= wanted:
                break
            chosen.append(self._department(code, self.spec.name + name, None, duty))
            for child in CHILDREN.get(code, []):
                child_code, child_name = child.split()
                chosen.append(
                    self._department(
                        f"{code}-{child_code}",
                        child_name,
                        code,
                        f"承办{name}划转的{child_name.removesuffix('科')}类事项",
                    )
                )
        return chosen

    def _department(self, code: str, name: str, parent: str | None, duty: str) -> Record:
        floor = self.rng.randint(1, 4)
        dept: Record = {"code": code, "name": name}
        if parent:
            dept["parent"] = parent
        dept.update(
            {
                "address": f"{self.centre}{floor}楼 {name}窗口",
                "phone": self.phone() if self.rng.random() > 0.05 else "12345",
                "phone_source": SYNTHETIC_SOURCE,
                "office_hours": "周一至周五 8:30—11:30，13:00—16:30",
                "description": f"{duty}。",
            }
        )
        return dept

    def write(self, content_root: Path, hugo_root: Path | None) -> int:
        region_dir = content_root / "regions" / self.spec.slug
        (region_dir / "items").mkdir(parents=True)
        self.put(region_dir / "region.yaml", self.region_yaml())
        departments = self.departments()
        self.put(
            region_dir / "departments.yaml",
            f"# {self.spec.name}: synthetic departments for benchmarks.\n" + yaml_list(departments),
        )
        hugo_dir = None
        if hugo_root is not None:
            hugo_dir = hugo_root / "content" / self.spec.slug
            hugo_dir.mkdir(parents=True)
            (hugo_dir / "_index.md").write_text(f"---\ntitle: {scalar(self.site)}\n---\n", encoding="utf-8")
        # The 科 of the 行政审批局 hold most items, as in a real centralised approval bureau.
        weights = [0.3 if d["code"] == "xzspj" else 4.0 if d.get("parent") == "xzspj" else 1.0 for d in departments]
        remaining, sequence = self.subitems, 0
        while remaining > 0:
            sequence += 1
            count = min(remaining, self.rng.choices(SUBITEM_COUNTS, SUBITEM_WEIGHTS)[0])
            department = self.rng.choices(departments, weights)[0]
            self._write_item(region_dir / "items", hugo_dir, sequence, count, department)
            remaining -= count
        return sequence

    def _write_item(self, items_dir: Path, hugo_dir: Path | None, sequence: int, count: int, dept: Record) -> None:
        rng = self.rng
        topic, slug, audiences, item_type = rng.choice(TOPIC_ROWS)
        code = f"{self.spec.code}-{TYPE_CODES[item_type]}-{sequence:05d}"
        immediate = item_type == "公共服务" and rng.random() < 0.5
        defaults: Record = {
            "item_type": item_type,
            "audiences": audiences,
            "handling_type": "即办件" if immediate else "承诺件",
            "fee": {"charged": False},
            "location": f"{self.centre}{rng.randint(1, 4)}楼 {dept['name']}窗口",
            "hours": "周一至周五 上午 8:30—11:30，下午 13:00—16:30（法定节假日除外）",
            "consult_phone": dept["phone"],
            "consult_phone_source": SYNTHETIC_SOURCE,
            "complaint_phone": "12345",
            "online": rng.random() < 0.8,
        }
        if rng.random() < 0.1:
            defaults["fee"] = {
                "charged": True,
                "standard": f"工本费 {rng.choice([5, 10, 20, 50])} 元/件",
                "basis": "《辽宁省行政事业性收费项目目录》",
            }
        if rng.random() < 0.3:
            defaults["legal_basis"] = self._legal_basis()
        item_name = topic + TYPE_NOUNS[item_type]
        folder = items_dir / f"{slug}-{sequence:05d}"
        folder.mkdir()
        self.put(
            folder / "item.yaml",
            yaml_text(
                {
                    "code": code,
                    "name": item_name,
                    "department": dept["code"],
                    "order": sequence,
                    "description": f"{self.spec.name}范围内{topic}的{'、'.join(a.split()[0] for a in ACTIONS[item_type][:count])}。",
                    "guide_defaults": defaults,
                }
            ),
        )
        for index, action in enumerate(ACTIONS[item_type][:count], start=1):
            action_name, action_slug = action.split()
            front = self._guide(f"{code}-{index:02d}", topic + action_name, defaults, dept)
            body = self._body(front, defaults, dept)
            self.put(folder / f"{index:02d}-{action_slug}.md", f"---\n{yaml_text(front)}---\n{body}")
            if hugo_dir is not None:
                hugo_front = {"title": front["name"], **defaults, **front}
                (hugo_dir / f"{front['code']}.md").write_text(
                    f"---\n{yaml_text(hugo_front)}---\n{body}", encoding="utf-8"
                )

    def _guide(self, code: str, name: str, defaults: Record, dept: Record) -> Record:
        """The sub-item's own front matter: what it does not inherit, and now and then an override."""
        rng = self.rng
        guide: Record = {
            "code": code,
            "name": name,
            "summary": f"在{self.spec.name}申请办理{name}，符合条件的依法予以办理。",
        }
        handling = defaults["handling_type"]
        online = defaults["online"]
        if rng.random() < 0.1:
            online = not online
            guide["online"] = online
        if handling == "即办件":
            guide["legal_time_limit"] = rng.choice([1, 5, 10])
            guide["promised_time_limit"] = 0
        else:
            legal = rng.choice([5, 10, 15, 20, 30, 60])
            guide["legal_time_limit"] = legal
            guide["promised_time_limit"] = max(1, legal // rng.choice([2, 3, 4]))
        if "legal_basis" not in defaults:
            guide["legal_basis"] = self._legal_basis()
        topic_vars = {"topic": name, "region": self.spec.name}
        guide["conditions"] = [c.format(**topic_vars) for c in rng.sample(CONDITIONS, rng.randint(2, 5))]
        steps = IMMEDIATE_STEPS if handling == "即办件" else PROMISE_STEPS[: rng.randint(3, 5)]
        guide["process"] = [
            {"name": step, "description": rng.choice(STEPS[step]).format(site=self.site, centre=self.centre)}
            for step in steps
        ]
        guide["materials"] = self._materials(name, defaults["audiences"])
        if online:
            guide["form_fields"] = self._form_fields(defaults["audiences"])
        guide["faqs"] = [
            {
                "question": q.format(name=name),
                "answer": a.format(
                    name=name, site=self.site, phone=dept["phone"], promised=guide["promised_time_limit"]
                ),
            }
            for q, a in rng.sample(FAQS, rng.choice([1, 2, 2, 3]))
        ]
        return guide

    def _legal_basis(self) -> list[Record]:
        return [
            {"law": law, "provision": f"第{self._numeral(self.rng.randint(2, 60))}条"}
            for law in self.rng.sample(LAWS, self.rng.choice([1, 2, 2]))
        ]

    @staticmethod
    def _numeral(number: int) -> str:
        tens, ones = divmod(number, 10)
        return (("" if tens == 1 else ORDINALS[tens - 1]) + "十" if tens else "") + (ORDINALS[ones - 1] if ones else "")

    def _materials(self, name: str, audiences: list[str]) -> list[Record]:
        rng = self.rng
        rows = [FIRST_MATERIALS[audiences[0]], APPLICATION_FORM]
        rows += rng.sample(MATERIAL_ROWS[audiences[0]], rng.randint(1, 5))
        materials = []
        for ident, label, kind, notes, required, _ in rows:
            material: Record = {"id": ident, "name": label.format(name=name), "kind": kind}
            if rng.random() < 0.2:
                material["copies"] = rng.randint(2, 3)
            if not required:
                material["required"] = False
            if rng.random() < 0.4:
                material["formats"] = rng.choice([["pdf"], ["pdf", "jpg"], ["jpg", "png"]])
            if rng.random() < 0.1:
                material["max_size_mb"] = 20
            if ident == "application-form" and self.files and rng.random() < 0.5:
                material["blank_form"] = rng.choice(self.files)
                if rng.random() < 0.2:
                    material["sample"] = rng.choice(self.files)
            if notes:
                material["notes"] = notes
            materials.append(material)
        return materials

    def _form_fields(self, audiences: list[str]) -> list[Record]:
        base = FORM_PERSONAL if audiences[0] == "自然人" else FORM_LEGAL
        fields = [{"name": n, "label": label, "type": kind, "prefill": prefill} for n, label, kind, prefill in base]
        return fields + self.rng.sample(FORM_EXTRA_FIELDS, self.rng.randint(2, 4))

    def _body(self, guide: Record, defaults: Record, dept: Record) -> str:
        """About 1.5 KB of Markdown: an opening, 办理须知 as a list, 办理说明 paragraphs, sometimes a table."""
        rng = self.rng
        values = {
            "name": guide["name"],
            "dept": dept["name"],
            "item_type": defaults["item_type"],
            "audiences": "、".join(defaults["audiences"]),
            "region": self.spec.name,
            "site": self.site,
            "centre": self.centre,
        }
        sentences = rng.sample(BODY_SENTENCES, rng.randint(8, 14))
        middle = len(sentences) // 2
        parts = [
            rng.choice(BODY_OPENINGS).format(**values) + "".join(sentences[:2]).format(**values),
            "# 办理须知",
            "\n".join(f"- {tip}" for tip in rng.sample(BODY_TIPS, rng.randint(3, 5))).format(**values),
            "# 办理说明",
            "".join(sentences[2:middle]).format(**values),
            "".join(sentences[middle:]).format(**values),
        ]
        if rng.random() < 0.3:
            parts.append(
                "| 项目 | 说明 |\n| --- | --- |\n"
                f"| 承诺办结时限 | {guide['promised_time_limit']} 个工作日 |\n"
                f"| 办理地点 | {defaults['location']} |\n| 咨询电话 | {dept['phone']} |"
            )
        return "\n\n".join(parts) + "\n"


# --- the whole province ----------------------------------------------------------------------------------------


def _blank_forms() -> list[str]:
    files_dir = SOURCE_CONTENT / "files"
    return sorted(str(p.relative_to(files_dir)) for p in files_dir.rglob("*.pdf"))


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            sys.exit(f"{out} is not empty; pass --force to replace content this script wrote there")
        if not (out / MARKER).is_file():
            sys.exit(f"{out} was not written by make_content.py (no {MARKER}); refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    # Marked before anything is written, so that --force may also clear a run that was interrupted.
    (out / MARKER).write_text(json.dumps({"complete": False}) + "\n", encoding="utf-8")


def _copy_portal(out: Path, default_slug: str, regions: list[RegionSpec]) -> None:
    text = (SOURCE_CONTENT / "portal.yaml").read_text(encoding="utf-8")
    if default_slug not in {region.slug for region in regions}:
        text = re.sub(r"(?m)^default_region:.*$", f"default_region: {regions[0].slug}", text)
    (out / "portal.yaml").write_text(text, encoding="utf-8")
    for name in ("agreement.md", "privacy.md", "accessibility.md"):
        shutil.copyfile(SOURCE_CONTENT / name, out / name)
    shutil.copytree(SOURCE_CONTENT / "documents", out / "documents")  # the default 结果文书 templates
    shutil.copytree(SOURCE_CONTENT / "files", out / "files")


HUGO_CONFIG = """baseURL = "http://127.0.0.1:8000/"
languageCode = "zh-cn"
title = "辽宁政务服务网"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "RSS"]
"""
HUGO_SINGLE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body><main>
<nav><a href="{{ .Site.Home.RelPermalink }}">首页</a> &gt;
<a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
<p>事项编码：{{ .Params.code }} · 事项类型：{{ .Params.item_type }} · 办件类型：{{ .Params.handling_type }}</p>
<h2>申请材料</h2>
<ol>{{ range .Params.materials }}<li>{{ .name }}（{{ .kind }}）{{ with .notes }}：{{ . }}{{ end }}</li>{{ end }}</ol>
<h2>办理流程</h2>
<ol>{{ range .Params.process }}<li><strong>{{ .name }}</strong> {{ .description }}</li>{{ end }}</ol>
<h2>办事指南</h2>
{{ .Content }}
</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
</main></body></html>
"""


def _write_hugo_skeleton(hugo_root: Path) -> None:
    (hugo_root / "layouts" / "_default").mkdir(parents=True)
    (hugo_root / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (hugo_root / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (hugo_root / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (hugo_root / "content").mkdir()
    (hugo_root / "content" / "_index.md").write_text("---\ntitle: 辽宁政务服务网\n---\n", encoding="utf-8")


def generate(subitems: int, out: Path, seed: int, hugo_root: Path | None = None, force: bool = False) -> Record:
    regions = choose_regions(subitems)
    weights = [CITY_WEIGHT if r.is_city else 1.0 for r in regions]
    jitter = random.Random(f"{seed}:sizes")
    counts = allocate(subitems, [w * jitter.uniform(0.85, 1.15) for w in weights])
    _prepare(out, force)
    if hugo_root is not None:
        _prepare(hugo_root, force)
        _write_hugo_skeleton(hugo_root)
    _copy_portal(out, "anshan", regions)
    files = _blank_forms()
    items = written = 0
    for order, (spec, count) in enumerate(zip(regions, counts, strict=True), start=1):
        writer = RegionWriter(spec, count, seed, order, files)
        items += writer.write(out, hugo_root)
        written += writer.written
    summary = {
        "complete": True,
        "subitems": subitems,
        "seed": seed,
        "regions": len(regions),
        "items": items,
        "bytes": written,
        "cities": sum(r.is_city for r in regions),
        "largest_region": max(counts),
        "smallest_region": min(counts),
    }
    for root in (out, hugo_root):
        if root is not None:
            (root / MARKER).write_text(json.dumps(summary) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic content (our format) for build benchmarks.")
    parser.add_argument("--subitems", type=int, required=True, help="number of sub-item guides, e.g. 100000")
    parser.add_argument("--out", type=Path, required=True, help="content folder to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo-out", type=Path, help="also write the same guides as a Hugo site here")
    parser.add_argument("--force", action="store_true", help="replace a folder this script wrote before")
    args = parser.parse_args(argv)
    if args.subitems < 1:
        parser.error("--subitems must be at least 1")
    started = time.perf_counter()
    summary = generate(args.subitems, args.out, args.seed, args.hugo_out, args.force)
    elapsed = time.perf_counter() - started
    hugo = f" + Hugo site {args.hugo_out}" if args.hugo_out else ""
    print(
        f"{summary['subitems']} sub-items in {summary['items']} items, {summary['regions']} regions "
        f"({summary['cities']} cities; {summary['smallest_region']}-{summary['largest_region']} sub-items each), "
        f"{summary['bytes'] / 1e6:.1f} MB -> {args.out}{hugo} in {elapsed:.1f} s (seed {summary['seed']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
