#!/usr/bin/env bash
# gen-data.sh -- the INITIAL generator of gridline's reference data for Ningbo.
#
# What it does: reads two fact files kept beside it in data/gen/
#   ningbo-townships.tsv   163 township-level units: 162 with NBS 2023 codes
#                          and 陆中湾街道 (no published code), with the number
#                          of communities/villages under each (3,042 in all)
#   cn-holidays-2026.tsv   the State Council 2026 holiday schedule
# and writes the reference tables described in docs/DATA.md into data/:
#   city.tsv districts.tsv townships.tsv communities.tsv grids.tsv
#   agencies.tsv classes.tsv categories.tsv duty.tsv hours.tsv holidays.tsv
# Usage: data/gen/gen-data.sh [OUTDIR]   (OUTDIR defaults to data/)
#
# This is only the initial generator.  Once the tables are committed, the
# files data/*.tsv are the edited source of truth (a city official edits them
# with a spreadsheet); do NOT re-run this script over edited data, it would
# throw the edits away.  It stays here to document where the data came from.
#
# Deterministic: no dates, no randomness, no awk "for (k in a)" order, every
# sort under LC_ALL=C.  Running it twice gives byte-identical output.
# Tools: bash (POSIX sh features only) and POSIX awk (tested with mawk).
#
# What is real and what is generated:
# - city, districts, townships: real names and codes (generated=no), except
#   陆中湾街道 (created Nov 2024 out of 庵东镇, no published code): it gets
#   the next free street code of 慈溪市, i.e. one more than the highest
#   330282 0xx code in use (002..006 are taken, so 330282007), marked
#   generated=provisional and note "provisional code".  330282001 is not in
#   the 2023 list, but NBS does not reuse retired codes, so it is not taken.
# - communities: the real COUNT per township, generated names and codes.
#   街道 and 类似乡级单位 (development zones): all 社区, codes 001.. , named
#   "<township name without 街道>第N社区" (南门第1社区).
#   镇 and 乡: the first ceil(n/3) are 社区 (codes 001..), the rest 村 with
#   NBS village codes from 201 upward, named "<name without 镇/乡>第N村"
#   (高桥第3村 has code ...203).
# - grids: exactly 7,368 (Ningbo's count of grid branches), generated.
#   GRID DISTRIBUTION RULE: every community gets 2 grids; the remaining
#   7368 - 2*3042 = 1284 grids go one each to 社区-kind communities (urban
#   communities are larger), spread evenly over all 社区 in code order:
#   the k-th 社区 (k = 0,1,.. in code order, S 社区 in all, E extra grids)
#   gets a third grid iff floor((k+1)*E/S) > floor(k*E/S).  (Should E ever
#   exceed S, every 社区 gets one and the rest spread the same way over 村.)
#   Grid codes: community code + 001..; names "<community name>第N网格".
# - agencies: city departments and utilities, 13 bureaus in each district,
#   and six units in each township: its own 综合治理办公室 ZZB, 城建办 CJB,
#   便民服务中心 BM (kind 乡镇) and the stationed (派驻) 综合行政执法中队 ZFZD,
#   市场监督管理所 SJS, 派出所 PCS whose parents are the district's ZF, SJ, GA.
# - classes/categories: 5 residential-estate classes (01..05, scope 小区) with
#   37 matters, and urban classes 11.. (scope 城市); see the table below.
# - duty: for every category a row at every district (lead: the district
#   bureau), plus a row at every township for categories that township units
#   handle, plus city rows for the utilities' categories (those have no
#   district rows).  So every grid resolves to exactly one lead.
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(dirname "$here")}
mkdir -p "$out"
facts="$here/ningbo-townships.tsv"
holfacts="$here/cn-holidays-2026.tsv"
GRIDS=7368
CITY=330200
CITYNAME=宁波市

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- districts
# code|name|kind|short name (used in 分局 names)
cat > "$tmp/districts" <<'EOF'
330203|海曙区|区|海曙
330205|江北区|区|江北
330206|北仑区|区|北仑
330211|镇海区|区|镇海
330212|鄞州区|区|鄞州
330213|奉化区|区|奉化
330225|象山县|县|象山
330226|宁海县|县|宁海
330281|余姚市|县级市|余姚
330282|慈溪市|县级市|慈溪
EOF

printf 'code\tname\n%s\t%s\n' "$CITY" "$CITYNAME" > "$out/city.tsv"

awk -F'|' -v city="$CITY" 'BEGIN { OFS = "\t"; print "code", "name", "kind", "city" }
	{ print $1, $2, $3, city }' "$tmp/districts" > "$out/districts.tsv"

# ---------------------------------------------------------------- townships
# tmp/towns: code name kind district communities generated note (TAB, by code)
awk -F'\t' '
	{ sub(/\r$/, "") }
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		if (!("code" in col) || !("name" in col) || !("kind" in col) ||
		    !("district_code" in col) || !("communities" in col)) {
			print "gen-data: bad header in townships facts" > "/dev/stderr"
			exit 1
		}
		next
	}
	$0 == "" { next }
	{
		n++
		c[n] = $col["code"]; nm[n] = $col["name"]; k[n] = $col["kind"]
		d[n] = $col["district_code"]; cnt[n] = $col["communities"]
		if (c[n] != "") {
			taken[c[n]] = 1
			s = substr(c[n], 7, 3) + 0
			if (substr(c[n], 7, 1) == "0" && s > maxst[d[n]])
				maxst[d[n]] = s
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			gen = "no"; note = ""
			if (c[i] == "") {
				if (k[i] != "街道") {
					print "gen-data: no code for non-street " nm[i] > "/dev/stderr"
					exit 1
				}
				s = maxst[d[i]] + 1
				code = d[i] sprintf("%03d", s)
				if (s > 99 || code in taken) {
					print "gen-data: no free street code in " d[i] > "/dev/stderr"
					exit 1
				}
				taken[code] = 1; maxst[d[i]] = s
				c[i] = code; gen = "provisional"; note = "provisional code"
			}
			print c[i] "\t" nm[i] "\t" k[i] "\t" d[i] "\t" cnt[i] "\t" gen "\t" note
		}
	}' "$facts" | sort -t "$(printf '\t')" -k1,1 > "$tmp/towns"

{
	printf 'code\tname\tkind\tdistrict\tgenerated\tnote\n'
	awk -F'\t' 'BEGIN { OFS = "\t" } { print $1, $2, $3, $4, $6, $7 }' "$tmp/towns"
} > "$out/townships.tsv"

# -------------------------------------------------------------- communities
awk -F'\t' '
	function stem(name, kind) {
		if (kind == "街道") sub(/街道$/, "", name)
		else if (kind == "镇") sub(/镇$/, "", name)
		else if (kind == "乡") sub(/乡$/, "", name)
		return name
	}
	BEGIN { OFS = "\t"; print "code", "name", "kind", "township", "generated" }
	{
		n = $5 + 0; st = stem($2, $3)
		if ($3 == "街道" || $3 == "类似乡级单位") ns = n
		else ns = int((n + 2) / 3)
		if (ns > 199 || n - ns > 799) {
			print "gen-data: too many communities in " $2 > "/dev/stderr"
			exit 1
		}
		for (i = 1; i <= ns; i++)
			print $1 sprintf("%03d", i), st "第" i "社区", "社区", $1, "yes"
		for (j = 1; j <= n - ns; j++)
			print $1 sprintf("%03d", 200 + j), st "第" j "村", "村", $1, "yes"
	}' "$tmp/towns" > "$out/communities.tsv"

# -------------------------------------------------------------------- grids
# Two passes over communities.tsv: count, then distribute (rule in header).
awk -F'\t' -v total="$GRIDS" '
	function extra(k, e, s) { return int((k + 1) * e / s) > int(k * e / s) }
	FNR == 1 { next }
	NR == FNR { N++; if ($3 == "社区") S++; else V++; next }
	FNR == 2 {
		E = total - 2 * N
		if (E < 0 || E > S + V) {
			print "gen-data: cannot place " total " grids" > "/dev/stderr"
			exit 1
		}
		if (E <= S) { ES = E; EV = 0 } else { ES = S; EV = E - S }
		print "code\tname\tcommunity\tgenerated"
	}
	{
		g = 2
		if ($3 == "社区") { if (ES > 0 && extra(ks, ES, S)) g++; ks++ }
		else { if (EV > 0 && extra(kv, EV, V)) g++; kv++ }
		for (i = 1; i <= g; i++)
			print $1 sprintf("%03d", i) "\t" $2 "第" i "网格\t" $1 "\tyes"
	}' "$out/communities.tsv" "$out/communities.tsv" > "$out/grids.tsv"

# ----------------------------------------------------------------- agencies
# City departments and utilities: abbrev|name|kind
cat > "$tmp/cityag" <<'EOF'
ZJ|宁波市住房和城乡建设局|部门
ZF|宁波市综合行政执法局|部门
SL|宁波市水利局|部门
ZR|宁波市自然资源和规划局|部门
SJ|宁波市市场监督管理局|部门
GA|宁波市公安局|部门
HB|宁波市生态环境局|部门
WJ|宁波市卫生健康委员会|部门
JY|宁波市教育局|部门
YJ|宁波市应急管理局|部门
JT|宁波市交通运输局|部门
SF|宁波市司法局|部门
XF|宁波市消防救援支队|部门
GD|国网宁波供电公司|企业
ZLS|宁波市自来水有限公司|企业
RQ|宁波兴光燃气集团|企业
EOF
# District bureaus: abbrev|name pattern.  {D} = district name (海曙区),
# {S} = short name (海曙); {GA} = 宁波市公安局海曙分局 for a 区 but
# 余姚市公安局 for a county or county-level city.  Natural resources and
# ecology are vertically managed: 分局 of the city bureau everywhere.
cat > "$tmp/distag" <<'EOF'
ZJ|{D}住房和城乡建设局
ZF|{D}综合行政执法局
SL|{D}水利局
ZR|宁波市自然资源和规划局{S}分局
SJ|{D}市场监督管理局
GA|{GA}
HB|宁波市生态环境局{S}分局
WJ|{D}卫生健康局
JY|{D}教育局
YJ|{D}应急管理局
JT|{D}交通运输局
SF|{D}司法局
XF|{D}消防救援大队
EOF

awk -v city="$CITY" '
	function fill(p, dn, ds, dk,   ga) {
		ga = (dk == "区") ? "宁波市公安局" ds "分局" : dn "公安局"
		gsub(/\{D\}/, dn, p); gsub(/\{S\}/, ds, p); gsub(/\{GA\}/, ga, p)
		return p
	}
	function stem(name, kind) {
		if (kind == "街道") sub(/街道$/, "", name)
		else if (kind == "镇") sub(/镇$/, "", name)
		else if (kind == "乡") sub(/乡$/, "", name)
		return name
	}
	function row(code, name, level, jur, kind, parent) {
		print code "\t" name "\t" level "\t" jur "\t" kind "\t" parent
	}
	FILENAME ~ /cityag$/ { split($0, f, "|"); nc++; ca[nc] = f[1]; cn[nc] = f[2]; ck[nc] = f[3]; next }
	FILENAME ~ /distag$/ { split($0, f, "|"); na++; da[na] = f[1]; dp[na] = f[2]; next }
	FILENAME ~ /districts$/ { split($0, f, "|"); nd++; dc[nd] = f[1]; dn[nd] = f[2]; dk[nd] = f[3]; ds[nd] = f[4]; next }
	{ split($0, f, "\t"); nt++; tc[nt] = f[1]; tn[nt] = f[2]; tk[nt] = f[3]; td[nt] = f[4] }
	END {
		print "code\tname\tlevel\tjurisdiction\tkind\tparent"
		for (i = 1; i <= nc; i++) row(city "." ca[i], cn[i], "city", city, ck[i], "")
		for (d = 1; d <= nd; d++) {
			for (i = 1; i <= na; i++)
				row(dc[d] "." da[i], fill(dp[i], dn[d], ds[d], dk[d]), "district", dc[d], "部门", "")
			for (t = 1; t <= nt; t++) {
				if (td[t] != dc[d]) continue
				c = tc[t]; n = tn[t]; s = stem(n, tk[t])
				cj = (tk[t] == "镇" || tk[t] == "乡") ? "村镇建设办公室" : "城市建设管理办公室"
				row(c ".ZZB", n "综合治理办公室", "township", c, "乡镇", "")
				row(c ".CJB", n cj, "township", c, "乡镇", "")
				row(c ".BM", n "便民服务中心", "township", c, "乡镇", "")
				row(c ".ZFZD", n "综合行政执法中队", "township", c, "派驻", dc[d] ".ZF")
				row(c ".SJS", s "市场监督管理所", "township", c, "派驻", dc[d] ".SJ")
				row(c ".PCS", s "派出所", "township", c, "派驻", dc[d] ".GA")
			}
		}
	}' "$tmp/cityag" "$tmp/distag" "$tmp/districts" "$tmp/towns" > "$out/agencies.tsv"

# ------------------------------------------------------ classes, categories
# class code|name|scope
cat > "$tmp/classes" <<'EOF'
01|物业服务管理|小区
02|房屋使用安全|小区
03|小区设施设备|小区
04|小区环境秩序|小区
05|小区安全与邻里|小区
11|市政设施|城市
12|排水与河道|城市
13|市容环卫|城市
14|违法建设与国土|城市
15|园林绿化|城市
16|公用事业|城市
17|市场监管|城市
18|社会治安与纠纷|城市
19|生态环境|城市
20|安全隐患|城市
21|公共服务|城市
EOF

# The matters and the responsibility list in one table, "-" for empty:
# code|name|platform|priority|limit|unit|city lead|city support|
#   district lead|district support|township lead|township support
# Leads are department abbreviations at that level.  Support tokens:
# c.X = city agency X, d.X = the district's X, t.X = the township's X.
# A city lead means a city-only matter (utilities): no district rows.
cat > "$tmp/matters" <<'EOF'
0101|物业服务质量投诉|便民服务|3|5|工作日|-|-|ZJ|-|CJB|t.BM
0102|物业费收缴纠纷|综治工作|3|10|工作日|-|-|ZJ|-|ZZB|t.CJB
0103|物业企业退出交接纠纷|综治工作|2|5|工作日|-|-|ZJ|-|CJB|t.ZZB
0104|业主大会和业主委员会运作|便民服务|3|10|工作日|-|-|ZJ|-|CJB|t.ZZB
0105|住宅专项维修资金使用|便民服务|3|10|工作日|-|-|ZJ|-|-|-
0106|小区公共收益管理纠纷|综治工作|3|10|工作日|-|-|ZJ|-|ZZB|t.CJB
0107|新建住宅质量保修纠纷|便民服务|3|10|工作日|-|-|ZJ|-|-|-
0201|小区内违法搭建|综合执法|2|3|工作日|-|-|ZF|d.ZR|ZFZD|t.CJB
0202|屋顶违章构筑物|综合执法|2|5|工作日|-|-|ZF|d.ZR|ZFZD|t.CJB
0203|擅自改变住宅用途|综合执法|3|5|工作日|-|-|ZF|d.SJ|ZFZD|t.SJS
0204|群租房安全隐患|综治工作|2|3|工作日|-|-|GA|d.ZJ,d.XF|ZZB|t.PCS,t.ZFZD
0205|装修破坏房屋承重结构|综合执法|1|24|自然时|-|-|ZF|d.ZJ|ZFZD|t.CJB
0206|外墙饰面脱落隐患|综治工作|1|4|自然时|-|-|ZJ|d.YJ|CJB|t.ZZB
0207|危旧房屋安全隐患|综治工作|2|2|工作日|-|-|ZJ|d.YJ|CJB|t.ZZB
0301|电梯困人|市场监管|1|1|自然时|-|-|SJ|d.XF|-|-
0302|电梯运行故障及安全隐患|市场监管|2|2|工作日|-|-|SJ|-|SJS|t.CJB
0303|二次供水设施故障|便民服务|2|8|工作时|ZLS|c.SL|-|-|-|-
0304|小区消防设施损坏|综治工作|2|3|工作日|-|-|XF|-|ZZB|t.CJB
0305|小区道路及公共设施损坏|便民服务|3|5|工作日|-|-|ZJ|-|CJB|-
0306|小区雨污水管道堵塞|便民服务|2|8|工作时|-|-|SL|d.ZJ|CJB|-
0307|电动自行车充电设施不足|便民服务|3|10|工作日|-|-|ZJ|d.XF|CJB|t.ZZB
0308|小区门禁及监控设施故障|综治工作|3|5|工作日|-|-|GA|-|ZZB|t.PCS
0401|生活垃圾分类投放|综合执法|3|3|工作日|-|-|ZF|-|CJB|t.ZFZD
0402|楼道堆物|综治工作|3|3|工作日|-|-|XF|-|ZZB|t.CJB
0403|消防通道堵塞|综治工作|1|4|自然时|-|-|XF|d.GA|ZZB|t.PCS
0404|小区停车秩序混乱|综治工作|3|5|工作日|-|-|GA|-|ZZB|t.PCS
0405|饲养宠物扰民|综治工作|3|3|工作日|-|-|GA|d.ZF|ZZB|t.PCS
0406|生活噪声扰民|综治工作|3|2|工作日|-|-|GA|-|ZZB|t.PCS
0407|装修噪声及装修垃圾|综合执法|3|2|工作日|-|-|ZF|-|ZFZD|t.CJB
0408|小区绿化养护不到位|便民服务|3|10|工作日|-|-|ZJ|-|CJB|-
0409|毁绿占绿种菜|综合执法|3|5|工作日|-|-|ZF|-|ZFZD|t.CJB
0501|电动自行车违规充电|综治工作|2|8|工作时|-|-|XF|-|ZZB|t.PCS
0502|居民户内燃气安全隐患|综治工作|2|1|工作日|RQ|c.XF|-|-|-|-
0503|小区治安防范|综治工作|2|2|工作日|-|-|GA|-|PCS|t.ZZB
0504|楼上楼下渗漏纠纷|综治工作|3|5|工作日|-|-|SF|-|ZZB|t.CJB
0505|高空抛物坠物|综治工作|2|1|工作日|-|-|GA|-|PCS|t.ZZB
0506|小区窨井盖缺失破损|综治工作|1|2|自然时|-|-|ZJ|-|CJB|-
1101|道路破损|便民服务|2|3|工作日|-|-|ZJ|-|-|-
1102|人行道板松动破损|便民服务|3|5|工作日|-|-|ZJ|-|-|-
1103|窨井盖缺失|综治工作|1|2|自然时|-|-|ZF|d.SL|-|-
1104|窨井盖破损松动|便民服务|2|8|工作时|-|-|ZF|d.SL|-|-
1105|路灯不亮|便民服务|3|3|工作日|-|-|ZF|-|-|-
1106|桥梁隧道设施损坏|便民服务|2|2|工作日|-|-|ZJ|-|-|-
1107|交通信号灯故障|综治工作|1|2|自然时|-|-|GA|d.ZJ|-|-
1108|交通标志标线缺损|便民服务|3|5|工作日|-|-|ZJ|d.GA|-|-
1109|公共厕所设施损坏|便民服务|3|2|工作日|-|-|ZF|-|-|-
1201|雨水口及排水管道堵塞|便民服务|2|8|工作时|-|-|SL|-|-|-
1202|污水冒溢|便民服务|2|8|自然时|-|-|SL|d.HB|-|-
1203|道路积水|综治工作|1|4|自然时|-|-|SL|d.ZJ|-|-
1204|下穿通道积水|综治工作|1|2|自然时|-|-|SL|d.GA|-|-
1205|河道垃圾及漂浮物|便民服务|3|1|工作日|-|-|SL|-|-|-
1206|河道堤防护岸损坏|综治工作|2|2|工作日|-|-|SL|-|-|-
1301|占道经营|综合执法|3|4|工作时|-|-|ZF|-|ZFZD|-
1302|流动摊贩|综合执法|3|4|工作时|-|-|ZF|-|ZFZD|-
1303|店外经营|综合执法|3|1|工作日|-|-|ZF|-|ZFZD|-
1304|户外广告设置不规范|综合执法|3|5|工作日|-|-|ZF|-|ZFZD|-
1305|户外广告牌松动脱落隐患|综治工作|1|4|自然时|-|-|ZF|d.YJ|ZFZD|t.ZZB
1306|乱张贴乱涂写|综合执法|3|2|工作日|-|-|ZF|-|ZFZD|-
1307|垃圾满溢及暴露垃圾|便民服务|3|4|工作时|-|-|ZF|-|-|-
1308|建筑垃圾乱倒|综合执法|2|1|工作日|-|-|ZF|-|ZFZD|-
1309|渣土车沿途抛洒|综合执法|2|4|工作时|-|-|ZF|d.GA|-|-
1401|违法建设|综合执法|2|1|工作日|-|-|ZF|d.ZR|ZFZD|t.CJB
1402|违法占用耕地|综合执法|2|2|工作日|-|-|ZR|d.ZF|-|-
1501|树木倒伏|综治工作|1|2|自然时|-|-|ZF|-|-|-
1502|绿地损坏及毁绿|综合执法|3|3|工作日|-|-|ZF|-|ZFZD|-
1601|停电|便民服务|1|2|自然时|GD|-|-|-|-|-
1602|电力线路设施隐患|综治工作|1|2|自然时|GD|c.YJ|-|-|-|-
1603|供水中断|便民服务|1|4|自然时|ZLS|-|-|-|-|-
1604|供水管道爆裂|综治工作|1|2|自然时|ZLS|c.SL|-|-|-|-
1605|燃气泄漏|综治工作|1|1|自然时|RQ|c.XF|-|-|-|-
1701|无证无照经营|市场监管|2|3|工作日|-|-|SJ|-|SJS|-
1702|无证食品摊点|市场监管|2|1|工作日|-|-|SJ|-|SJS|t.ZFZD
1703|食品安全投诉|市场监管|2|1|工作日|-|-|SJ|-|SJS|-
1704|餐饮油烟扰民|综合执法|3|3|工作日|-|-|ZF|d.HB|ZFZD|t.SJS
1705|假冒伪劣商品|市场监管|3|3|工作日|-|-|SJ|-|SJS|-
1801|邻里纠纷|综治工作|3|5|工作日|-|-|SF|-|ZZB|-
1802|婚姻家庭纠纷|综治工作|3|5|工作日|-|-|SF|-|ZZB|-
1803|治安隐患|综治工作|2|1|工作日|-|-|GA|-|PCS|t.ZZB
1804|机动车乱停放|综合执法|3|4|工作时|-|-|GA|-|-|-
1805|非机动车乱停放|综合执法|3|4|工作时|-|-|ZF|-|ZFZD|-
1806|废弃车辆|综合执法|3|5|工作日|-|-|GA|d.ZF|-|-
1901|工业废气污染|综合执法|2|1|工作日|-|-|HB|-|-|-
1902|水体污染|综合执法|2|1|工作日|-|-|HB|d.SL|-|-
1903|夜间施工噪声|综合执法|2|4|自然时|-|-|ZF|d.ZJ|ZFZD|-
1904|露天焚烧|综合执法|2|4|工作时|-|-|ZF|d.HB|ZFZD|-
1905|商业经营噪声|综合执法|3|2|工作日|-|-|ZF|-|ZFZD|-
2001|安全生产隐患|综治工作|2|2|工作日|-|-|YJ|-|ZZB|-
2002|地质灾害隐患|综治工作|1|4|自然时|-|-|ZR|d.YJ|-|-
2003|道路塌陷|综治工作|1|2|自然时|-|-|ZJ|d.SL,d.GA|-|-
2004|沿街店铺消防隐患|综治工作|2|1|工作日|-|-|XF|-|ZZB|-
2101|校园周边安全|综治工作|2|2|工作日|-|-|JY|d.GA|-|-
2102|非法行医|市场监管|2|3|工作日|-|-|WJ|-|-|-
2103|病媒生物孳生|便民服务|3|5|工作日|-|-|WJ|-|-|-
2104|公交站亭设施损坏|便民服务|3|5|工作日|-|-|JT|-|-|-
EOF

awk -F'|' 'BEGIN { OFS = "\t"; print "code", "name", "scope" } { print $1, $2, $3 }' \
	"$tmp/classes" > "$out/classes.tsv"
awk -F'|' 'BEGIN { OFS = "\t"; print "code", "name", "class", "platform", "priority", "limit", "unit" }
	{ print $1, $2, substr($1, 1, 2), $3, $4, $5, $6 }' "$tmp/matters" > "$out/categories.tsv"

# --------------------------------------------------------------------- duty
awk -v city="$CITY" '
	function sup(list, d, t,   n, i, f, r, p) {
		if (list == "-") return ""
		n = split(list, f, ","); r = ""
		for (i = 1; i <= n; i++) {
			p = substr(f[i], 1, 2)
			if (p == "c.") f[i] = city "." substr(f[i], 3)
			else if (p == "d.") f[i] = d "." substr(f[i], 3)
			else if (p == "t.") f[i] = t "." substr(f[i], 3)
			else { print "gen-data: bad support token " f[i] > "/dev/stderr"; exit 1 }
			r = r (i > 1 ? "," : "") f[i]
		}
		return r
	}
	FILENAME ~ /districts$/ { split($0, f, "|"); nd++; dc[nd] = f[1]; next }
	FILENAME ~ /towns$/ { split($0, f, "\t"); nt++; tc[nt] = f[1]; td[nt] = f[4]; next }
	{
		split($0, m, "|")
		if (m[7] != "-") {
			print m[1] "\t" city "\t" city "." m[7] "\t" sup(m[8], "", "")
		}
		if (m[9] != "-")
			for (d = 1; d <= nd; d++)
				print m[1] "\t" dc[d] "\t" dc[d] "." m[9] "\t" sup(m[10], dc[d], "")
		if (m[11] != "-")
			for (t = 1; t <= nt; t++)
				print m[1] "\t" tc[t] "\t" tc[t] "." m[11] "\t" sup(m[12], td[t], tc[t])
	}' "$tmp/districts" "$tmp/towns" "$tmp/matters" > "$tmp/duty"
{
	printf 'category\tjurisdiction\tlead\tsupport\n'
	sort -t "$(printf '\t')" -k1,1 -k2,2 "$tmp/duty"
} > "$out/duty.tsv"

# ----------------------------------------------------------------- calendar
printf 'weekdays\tstart\tend\n1-5\t08:30\t12:00\n1-5\t13:30\t17:30\n' > "$out/hours.tsv"

awk -F'\t' '
	{ sub(/\r$/, "") }
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		if (!("date" in col) || !("kind" in col) || !("name" in col)) {
			print "gen-data: bad header in holidays facts" > "/dev/stderr"
			exit 1
		}
		print "date\tkind\tname"
		next
	}
	$0 == "" { next }
	{ print $col["date"] "\t" $col["kind"] "\t" $col["name"] }' "$holfacts" > "$out/holidays.tsv"
