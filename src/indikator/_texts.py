"""The texts of every message, in English and Indonesian (see `indikator.messages`).

Placeholders are `{name}`; both languages use the same ones. Identifiers, keywords and
numbers are quoted as written in the ruleset or data, never translated. Indonesian
follows the wording of government documents: *wilayah*, *baris*, *kolom*, *berkas*,
*predikat* (tier), *rentang* (band), *bobot* (weight), *kelompok* (group), *masukan*
(input); domain terms (indikator, klaster, tatanan, OPD) stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = ["CATALOGUE", "TITLES", "Template"]


@attrs.frozen(kw_only=True)
class Template:
    """One message in both languages."""

    en: str
    id: str


T = Template

#: Short titles of the diagnostic codes (`errors.CODES` holds the English ones).
TITLES: Mapping[str, Template] = {
    # IK0xx — reading and parsing
    "IK001": T(en="unexpected token", id="token tidak diharapkan"),
    "IK002": T(en="unexpected character", id="karakter tidak diharapkan"),
    "IK003": T(en="unexpected end of file", id="berkas berakhir terlalu cepat"),
    "IK004": T(en="file cannot be read", id="berkas tidak dapat dibaca"),
    "IK005": T(en="nesting too deep", id="ekspresi bersarang terlalu dalam"),
    "IK006": T(en="number written too long", id="angka ditulis terlalu panjang"),
    "IK007": T(en="unsupported line ends", id="akhir baris tidak didukung"),
    # IK1xx — declarations, names and modules
    "IK101": T(en="duplicate definition", id="definisi ganda"),
    "IK102": T(
        en="missing or repeated ruleset header", id="bagian kepala ruleset tidak ada atau berulang"
    ),
    "IK103": T(en="imported file not found", id="berkas impor tidak ditemukan"),
    "IK104": T(en="import cycle", id="impor melingkar"),
    "IK105": T(en="import outside the ruleset folder", id="impor dari luar folder ruleset"),
    "IK106": T(en="invalid declaration", id="deklarasi tidak sah"),
    "IK107": T(en="imports nest too deeply", id="impor bersarang terlalu dalam"),
    "IK108": T(en="definition does not match its base", id="definisi tidak cocok dengan dasarnya"),
    "IK115": T(en="invalid evidence requirement", id="persyaratan data dukung tidak sah"),
    # IK2xx — references and types
    "IK201": T(en="unknown name", id="nama tidak dikenal"),
    "IK202": T(en="type mismatch", id="jenis tidak cocok"),
    "IK203": T(en="unit mismatch", id="satuan tidak cocok"),
    "IK204": T(en="wrong function call", id="pemanggilan fungsi salah"),
    "IK205": T(en="unknown option", id="pilihan tidak dikenal"),
    "IK206": T(en="not a scored definition", id="bukan definisi yang dinilai"),
    "IK207": T(en="rank read before it exists", id="peringkat dibaca sebelum ada"),
    # IK3xx — dependency graph
    "IK301": T(en="dependency cycle", id="ketergantungan melingkar"),
    "IK302": T(en="unused input", id="masukan tidak digunakan"),
    # IK4xx — scoring and classification
    "IK401": T(en="overlapping intervals", id="selang tumpang tindih"),
    "IK402": T(en="gap between intervals", id="celah di antara selang"),
    "IK403": T(en="dead band", id="rentang tidak terjangkau"),
    "IK404": T(en="weights do not add up", id="jumlah bobot tidak sesuai"),
    "IK405": T(en="maximum does not add up", id="jumlah nilai maksimum tidak sesuai"),
    "IK406": T(en="tiers out of order", id="urutan predikat salah"),
    "IK407": T(en="unreachable tier", id="predikat tidak terjangkau"),
    "IK408": T(en="values fall outside every band", id="ada nilai di luar semua rentang"),
    "IK409": T(en="empty interval", id="selang kosong"),
    "IK410": T(
        en="scores can exceed the declared maximum",
        id="nilai dapat melebihi maksimum yang dinyatakan",
    ),
    "IK411": T(en="number too large", id="angka terlalu besar"),
    "IK412": T(en="number too precise", id="angka terlalu teliti"),
    "IK413": T(en="too many tiers", id="predikat terlalu banyak"),
    "IK414": T(en="constant divides by zero", id="konstanta membagi dengan nol"),
    "IK420": T(en="unknown source", id="sumber tidak dikenal"),
    "IK421": T(en="source never cited", id="sumber tidak pernah dirujuk"),
    "IK422": T(en="number neither cited nor assumed", id="angka tanpa rujukan atau asumsi"),
    "IK423": T(en="source declared twice", id="sumber dinyatakan dua kali"),
    "IK424": T(en="value outside its plausible range", id="nilai di luar rentang wajarnya"),
    "IK430": T(en="parameter cannot be drawn", id="parameter tidak dapat diundi"),
    # IK5xx — data
    "IK501": T(en="missing column", id="kolom tidak ada"),
    "IK502": T(en="unknown column", id="kolom tidak dikenal"),
    "IK503": T(en="wrong value type", id="jenis nilai salah"),
    "IK504": T(en="value out of range", id="nilai di luar rentang"),
    "IK505": T(en="missing value not allowed", id="nilai kosong tidak diperbolehkan"),
    "IK506": T(en="unknown option value", id="nilai pilihan tidak dikenal"),
    "IK507": T(en="duplicate region", id="wilayah ganda"),
    "IK508": T(en="division by zero", id="pembagian dengan nol"),
    "IK509": T(en="value outside every band", id="nilai di luar semua rentang"),
    "IK510": T(en="bad parameter override", id="penggantian parameter tidak sah"),
    "IK511": T(en="empty table", id="tabel kosong"),
    "IK512": T(en="ambiguous number", id="angka bermakna ganda"),
    "IK513": T(en="mixed percent formats", id="format persen bercampur"),
    "IK514": T(en="formula without a saved value", id="rumus tanpa nilai tersimpan"),
    "IK515": T(en="file too large to read safely", id="berkas terlalu besar untuk dibaca"),
    "IK516": T(en="ambiguous column", id="kolom bermakna ganda"),
    "IK517": T(en="sheets disagree", id="lembar tidak sepakat"),
    "IK520": T(en="value beyond float range", id="nilai di luar jangkauan angka"),
    "IK530": T(en="nothing to draw for", id="tidak ada yang dapat diundi"),
    "IK540": T(en="unreadable evidence register", id="daftar data dukung tidak terbaca"),
    "IK541": T(en="register names no requirement", id="daftar menyebut persyaratan yang tidak ada"),
    # IK6xx — output
    "IK601": T(en="output would overwrite an input", id="keluaran akan menimpa masukan"),
    "IK602": T(en="output cannot be written", id="keluaran tidak dapat ditulis"),
    "IK603": T(en="wrong output file type", id="jenis berkas keluaran salah"),
    # IK8xx — SQL
    "IK801": T(
        en="not expressible in this SQL dialect", id="tidak dapat dinyatakan dalam dialek SQL ini"
    ),
    "IK802": T(en="unknown SQL dialect", id="dialek SQL tidak dikenal"),
    "IK803": T(en="SQL engine not installed", id="mesin SQL belum terpasang"),
    "IK804": T(en="data the SQL engine cannot read", id="data yang tidak dapat dibaca mesin SQL"),
    # IK9xx — bugs
    "IK901": T(en="internal error", id="kesalahan internal"),
}

_FRAME = {
    # How a diagnostic is laid out: `errors.render`.
    "severity.error": T(en="error", id="kesalahan"),
    "severity.warning": T(en="warning", id="peringatan"),
    "severity.note": T(en="note", id="catatan"),
    "frame.hint": T(en="hint", id="saran"),
    "frame.regions": T(en="regions", id="wilayah"),
    "frame.needed_by": T(en="needed by", id="dibutuhkan oleh"),
    "frame.more": T(en="... and {count} more", id="... dan {count} lainnya"),
    "frame.and_more": T(en="and {count} more", id="dan {count} lainnya"),
    "word.more": T(en="{count} more", id="{count} lainnya"),
    "word.or": T(en="{first} or {last}", id="{first} atau {last}"),
    "word.and": T(en="{first} and {last}", id="{first} dan {last}"),
    "suggest.did_you_mean": T(en="did you mean '{name}'?", id="maksud Anda '{name}'?"),
}

_SYNTAX = {
    "syntax.character": T(
        en="unexpected character {char}", id="karakter {char} tidak diharapkan di sini"
    ),
    "syntax.end": T(en="unexpected end of file", id="berkas berakhir terlalu cepat"),
    "syntax.end_expected": T(
        en="unexpected end of file; expected {expected}",
        id="berkas berakhir terlalu cepat; seharusnya {expected}",
    ),
    "syntax.token": T(en="unexpected {token}", id="{token} tidak diharapkan di sini"),
    "syntax.token_expected": T(
        en="unexpected {token}; expected {expected}",
        id="{token} tidak diharapkan di sini; seharusnya {expected}",
    ),
    "syntax.hint_lower_case": T(
        en="names are lower case: letters, digits and '_'",
        id="nama ditulis dengan huruf kecil: huruf, angka, dan '_'",
    ),
    "syntax.hint_quotes": T(
        en='texts are written in double quotes: "..."',
        id='teks ditulis di antara tanda petik ganda: "..."',
    ),
    "syntax.hint_decimal_point": T(
        en="decimals use a point: 92.4, not 92,4",
        id="desimal memakai titik: 92.4, bukan 92,4",
    ),
    "syntax.repeated": T(
        en="a ruleset has at most one {what}; found {count}",
        id="satu ruleset paling banyak memiliki satu {what}; ditemukan {count}",
    ),
    "syntax.what_header": T(en="ruleset header", id="bagian kepala ruleset"),
    "syntax.what_tiers": T(en="tiers block", id="blok tiers"),
    "syntax.what_extends": T(en="extends", id="extends"),
    "syntax.too_deep": T(
        en="'{file}' nests expressions too deeply to {doing}",
        id="ekspresi dalam '{file}' bersarang terlalu dalam untuk {doing}",
    ),
    "syntax.nested_deeper": T(
        en="expressions nest more than {levels} levels deep here",
        id="ekspresi di sini bersarang lebih dari {levels} tingkat",
    ),
    "syntax.doing_compile": T(en="compile", id="dikompilasi"),
    "syntax.doing_format": T(en="format", id="diformat"),
    "syntax.hint_too_deep": T(
        en="split long chains such as a + b + c + ... into several 'let' definitions",
        id="pecah rangkaian panjang seperti a + b + c + ... menjadi beberapa definisi 'let'",
    ),
    # What the parser expected, in words.
    "token.name": T(en="a name", id="nama"),
    "token.number": T(en="a number", id="angka"),
    "token.whole_number": T(en="a whole number", id="bilangan bulat"),
    "token.string": T(en='a "quoted text"', id='"teks bertanda petik"'),
    "token.sign": T(en="a sign", id="tanda + atau -"),
    "token.compare": T(en="a comparison", id="perbandingan"),
    "token.add": T(en="'+' or '-'", id="'+' atau '-'"),
    "token.mul": T(en="'*' or '/'", id="'*' atau '/'"),
    "token.end": T(en="the end of the file", id="akhir berkas"),
}

_FILES = {
    "link.cannot_read": T(
        en="cannot read '{file}': {reason}", id="'{file}' tidak dapat dibaca: {reason}"
    ),
    "link.not_utf8": T(
        en="the file is not UTF-8 text (byte 0x{byte})",
        id="berkas ini bukan teks UTF-8 (bita 0x{byte})",
    ),
    "link.hint_utf8": T(en="save the ruleset as UTF-8", id="simpan ruleset dengan pengodean UTF-8"),
    "link.import_loop": T(
        en="files import each other in a loop: {chain}",
        id="berkas saling mengimpor secara melingkar: {chain}",
    ),
    "link.outside": T(
        en="'{file}' is outside the ruleset folder '{root}'",
        id="'{file}' berada di luar folder ruleset '{root}'",
    ),
    "link.hint_outside": T(
        en=(
            "keep shared catalogues inside the ruleset's folder, or in a folder 'common'"
            " beside it (../common/)"
        ),
        id=(
            "simpan katalog bersama di dalam folder ruleset, atau di folder 'common'"
            " di sebelahnya (../common/)"
        ),
    ),
    "link.not_found": T(en="file not found: '{file}'", id="berkas tidak ditemukan: '{file}'"),
    "link.defined_twice": T(en="'{name}' is defined twice", id="'{name}' didefinisikan dua kali"),
    "link.first_defined": T(en="first defined here", id="pertama kali didefinisikan di sini"),
    "graph.loop": T(
        en="definitions depend on each other in a loop: {path}",
        id="definisi saling bergantung secara melingkar: {path}",
    ),
    "graph.in_loop": T(
        en="'{name}' is part of the loop", id="'{name}' termasuk dalam lingkaran ini"
    ),
}

_TYPES = {
    # `Type.describe` and `Range.describe`.
    "type.number": T(en="a number", id="angka"),
    "type.number_in": T(en="a number in {unit}", id="angka dalam {unit}"),
    "type.bool": T(en="yes/no", id="ya/tidak"),
    "type.option": T(en="an option", id="pilihan"),
    "type.text": T(en="text", id="teks"),
    "type.tier": T(en="a tier", id="predikat"),
    "range": T(en="{low} to {high}", id="{low} sampai {high}"),
    # Where a value is used, in "... needs a number".
    "where.formula": T(en="an indicator's formula", id="rumus indikator"),
    "where.if_branches": T(en="'if' (its two branches)", id="kedua cabang 'if'"),
    "where.band_table": T(en="a band table", id="tabel rentang"),
    "where.linear": T(en="linear scaling", id="penskalaan linear"),
    "where.tier_requirement": T(en="a tier requirement", id="syarat predikat"),
    "what.band": T(en="band", id="rentang"),
    "what.bands": T(en="bands", id="rentang"),
    "what.tier": T(en="tier", id="predikat"),
    "what.tiers": T(en="tiers", id="predikat"),
}

_CHECK = {
    "check.no_header": T(
        en="the ruleset has no header", id="ruleset ini tidak memiliki bagian kepala (header)"
    ),
    "check.hint_catalogue": T(
        en=(
            "a file of definitions only is a catalogue: import it from a ruleset"
            ' (import "file.ikr"); `indikator check` checks it on its own'
        ),
        id=(
            "berkas yang hanya berisi definisi adalah katalog: impor dari sebuah ruleset"
            ' (import "berkas.ikr"); `indikator check` memeriksanya tersendiri'
        ),
    ),
    "check.hint_header": T(
        en='start with: ruleset my_scheme {{ title "..." scale 0 to 100 }}',
        id='awali dengan: ruleset skema_saya {{ title "..." scale 0 to 100 }}',
    ),
    "check.scale_order": T(
        en="the scale's lower end must be below its upper end",
        id="batas bawah skala harus lebih kecil daripada batas atasnya",
    ),
    "check.region_column": T(
        en="the region column '{column}' must be a text input",
        id="kolom wilayah '{column}' harus berupa masukan teks",
    ),
    "check.unknown_name": T(en="unknown name '{name}'", id="nama '{name}' tidak dikenal"),
    "check.short_of_scale": T(
        en="'{name}' can reach at most {reach}, but the scale ends at {top}",
        id="'{name}' paling tinggi mencapai {reach}, padahal skala berakhir di {top}",
    ),
    "check.hint_scale": T(
        en="the maxima of the groups must add up to the scale",
        id="jumlah nilai maksimum kelompok harus sama dengan ujung skala",
    ),
    "check.unused_input": T(
        en="input '{name}' is never used", id="masukan '{name}' tidak pernah digunakan"
    ),
    "check.empty_range": T(en="the range of '{name}' is empty", id="rentang nilai '{name}' kosong"),
    "check.choice_twice": T(
        en="'{name}' lists the same choice twice",
        id="'{name}' mencantumkan pilihan yang sama dua kali",
    ),
    "check.range_not_number": T(
        en="a range only applies to numbers, not to {kind}",
        id="rentang nilai hanya berlaku untuk angka, tidak untuk {kind}",
    ),
    "check.unbounded_over_max": T(
        en="'{name}' has no upper bound, above its max {max}",
        id="'{name}' tidak memiliki batas atas, sehingga dapat melebihi maksimumnya {max}",
    ),
    "check.over_max": T(
        en="'{name}' can score {score}, above its max {max}",
        id="'{name}' dapat bernilai {score}, melebihi maksimumnya {max}",
    ),
    "check.hint_over_max": T(
        en="bound it, e.g. min(..., {max}), or declare the ranges of its inputs",
        id="batasi nilainya, mis. min(..., {max}), atau nyatakan rentang nilai masukannya",
    ),
    "check.unknown_max": T(
        en="cannot tell the maximum score of '{name}' (it can reach {range})",
        id="nilai maksimum '{name}' tidak dapat ditentukan (nilainya dapat mencapai {range})",
    ),
    "check.hint_add_clause": T(
        en="add a clause such as '{clause}'", id="tambahkan klausa seperti '{clause}'"
    ),
    "check.not_member": T(
        en="'{member}' is not an indicator or group, so it cannot be a member of '{group}'",
        id="'{member}' bukan indikator atau kelompok, sehingga tidak dapat menjadi anggota "
        "'{group}'",
    ),
    "check.members_total": T(
        en="the members of '{group}' add up to {total}, but its max is {max}",
        id="jumlah nilai anggota '{group}' adalah {total}, padahal maksimumnya {max}",
    ),
    "check.hint_members_total": T(
        en="change a member's points or the group's max",
        id="ubah poin salah satu anggota atau maksimum kelompok",
    ),
    "check.group_needs_max": T(
        en="a '{aggregator}' group needs a maximum",
        id="kelompok '{aggregator}' memerlukan nilai maksimum",
    ),
    "check.mean_weights": T(
        en="a 'mean' group takes no weights", id="kelompok 'mean' tidak memakai bobot"
    ),
    "check.hint_weighted": T(
        en="use 'weighted(...)' for weights", id="gunakan 'weighted(...)' untuk bobot"
    ),
    "check.no_weight": T(en="'{name}' has no weight", id="'{name}' tidak memiliki bobot"),
    "check.hint_weight": T(en="write '{name}: 25'", id="tulis '{name}: 25'"),
    "check.rank_by": T(
        en="cannot rank by '{name}', which is {type}",
        id="tidak dapat memeringkat menurut '{name}', yang berupa {type}",
    ),
    "check.within": T(
        en="'within' needs a text column, but '{name}' is {type}",
        id="'within' memerlukan kolom teks, tetapi '{name}' berupa {type}",
    ),
    "check.empty_band": T(
        en="this band holds no value", id="rentang ini tidak memuat nilai apa pun"
    ),
    "check.dead_band": T(
        en="no value of the subject ({range}) falls in this band",
        id="tidak ada nilai subjek ({range}) yang masuk ke rentang ini",
    ),
    "check.below_previous": T(
        en="this {what} lies below the one before it",
        id="{what} ini berada di bawah {what} sebelumnya",
    ),
    "check.hint_order": T(
        en="list {whats} from lowest to highest",
        id="urutkan {whats} dari yang terendah ke yang tertinggi",
    ),
    "check.overlaps": T(
        en="this {what} overlaps the one before it",
        id="{what} ini tumpang tindih dengan {what} sebelumnya",
    ),
    "check.hint_overlap": T(
        en="list {whats} from lowest to highest; at a shared edge write ')' then '['",
        id="urutkan {whats} dari yang terendah ke yang tertinggi; pada batas bersama tulis "
        "')' lalu '['",
    ),
    "check.gap_point": T(
        en="the value {edge} falls in no {what}",
        id="nilai {edge} tidak masuk ke {what} mana pun",
    ),
    "check.gap": T(
        en="values between {low} and {high} fall in no {what}",
        id="nilai antara {low} dan {high} tidak masuk ke {what} mana pun",
    ),
    "check.hint_gap": T(
        en="make the {whats} meet, e.g. '[{edge}, ...' after '..., {edge})'",
        id="sambungkan {whats}, mis. '[{edge}, ...' setelah '..., {edge})'",
    ),
    "check.outside_bands": T(
        en="the subject can take values ({range}) outside every band",
        id="subjek dapat bernilai ({range}) di luar semua rentang",
    ),
    "check.hint_outside_bands": T(
        en="declare the input's range, or start and end the bands with -inf and inf",
        id="nyatakan rentang nilai masukan, atau awali rentang dengan -inf dan akhiri dengan inf",
    ),
    "check.from_to": T(en="'from' and 'to' must differ", id="'from' dan 'to' harus berbeda"),
    "check.options_subject": T(
        en="'options' needs an option input (or prev of one), not {type}",
        id="'options' memerlukan masukan pilihan (atau prev darinya), bukan {type}",
    ),
    "check.not_an_option": T(
        en="'{value}' is not one of the options",
        id="'{value}' bukan salah satu pilihan yang ada",
    ),
    "check.not_a_tier": T(
        en="'{value}' is not one of the tiers", id="'{value}' bukan salah satu predikat"
    ),
    "check.option_twice": T(
        en="option '{option}' is listed twice", id="pilihan '{option}' tercantum dua kali"
    ),
    "check.option_no_points": T(
        en="option '{option}' has no points", id="pilihan '{option}' tidak memiliki poin"
    ),
    "check.tiers_subject": T(
        en="tiers need a number, but '{name}' is {type}",
        id="predikat memerlukan angka, tetapi '{name}' berupa {type}",
    ),
    "check.tier_twice": T(
        en="tier '{name}' is defined twice", id="predikat '{name}' didefinisikan dua kali"
    ),
    "check.tier_reversed": T(
        en="tier '{name}' starts above its end",
        id="predikat '{name}' dimulai di atas batas akhirnya",
    ),
    "check.tier_reserved": T(
        en="'tier' is a reserved name: in gates and rollups it means the tier reached",
        id="'tier' adalah nama khusus: dalam syarat dan rekap artinya predikat yang dicapai",
    ),
    "check.tier_empty": T(
        en="tier '{name}' holds no value", id="predikat '{name}' tidak memuat nilai apa pun"
    ),
    "check.tier_unreachable": T(
        en="no region can reach tier '{tier}': '{subject}' ranges {range}",
        id="tidak ada wilayah yang dapat mencapai predikat '{tier}': nilai '{subject}' "
        "berkisar {range}",
    ),
    "check.by": T(
        en="'by' needs a text column, but '{name}' is {type}",
        id="'by' memerlukan kolom teks, tetapi '{name}' berupa {type}",
    ),
    "check.count_argument": T(en="count() takes no argument", id="count() tidak menerima argumen"),
    "check.needs_value": T(
        en="{function}(...) needs a value", id="{function}(...) memerlukan sebuah nilai"
    ),
    "check.above_tiers": T(
        en="scores above {edge} fall in no tier",
        id="nilai di atas {edge} tidak masuk ke predikat mana pun",
    ),
    "check.option_direct": T(
        en="compare an option input (or prev of one) directly",
        id="bandingkan masukan pilihan (atau prev darinya) secara langsung",
    ),
    "check.option_compare": T(
        en='an option can only be compared with == or != to a "text"',
        id='pilihan hanya dapat dibandingkan dengan == atau != terhadap sebuah "teks"',
    ),
    "check.mixes": T(en="{where} mixes {a} and {b}", id="{where} mencampur {a} dan {b}"),
    "check.mixes_units": T(
        en="{where} mixes units: {a} and {b}", id="{where} mencampur satuan: {a} dan {b}"
    ),
    "check.hint_percent": T(
        en="use percent(...) to turn points into a percentage of the maximum",
        id="gunakan percent(...) untuk mengubah poin menjadi persentase dari maksimum",
    ),
    "check.needs_number": T(
        en="{where} needs a number, not {type}", id="{where} memerlukan angka, bukan {type}"
    ),
    "check.hint_count_yes_no": T(
        en="use 'if x then 1 else 0' to count a yes/no",
        id="gunakan 'if x then 1 else 0' untuk menghitung ya/tidak",
    ),
    "check.needs_condition": T(
        en="{where} needs a yes/no condition, not {type}",
        id="{where} memerlukan syarat ya/tidak, bukan {type}",
    ),
    "check.hint_compare": T(en="compare it, e.g. 'x >= 80'", id="bandingkan, mis. 'x >= 80'"),
    "check.too_large": T(
        en="a number of {digits} digits is too large (at most 10^15)",
        id="angka {digits} digit terlalu besar (paling besar 10^15)",
    ),
    "check.too_many_places": T(
        en="a number here may have at most {places} decimal places",
        id="angka di sini paling banyak boleh {places} angka di belakang koma",
    ),
    "check.too_many_digits": T(
        en="a number here may have at most {digits} significant digits",
        id="angka di sini paling banyak boleh {digits} angka penting",
    ),
    "check.hint_too_precise": T(
        en="indikator computes with decimals of at most 9 places and 15 significant digits,"
        " the most a float64 holds exactly: round the number",
        id="indikator menghitung dengan desimal paling banyak 9 angka di belakang koma dan"
        " 15 angka penting, batas yang dapat disimpan float64 dengan tepat: bulatkan angkanya",
    ),
    "check.round_places": T(
        en="rounding to {places} places: numbers have at most 9 decimal places",
        id="pembulatan ke {places} angka di belakang koma: angka paling banyak memiliki 9",
    ),
    "check.too_many_tiers": T(
        en="{count} tiers: at most {most} are allowed",
        id="{count} predikat: paling banyak {most}",
    ),
    "check.hint_too_large": T(
        en="count very large quantities in a larger unit (thousands, millions)",
        id="gunakan satuan yang lebih besar (ribuan, jutaan) untuk besaran yang sangat besar",
    ),
    "check.not_a_param": T(
        en="'{name}' is not a parameter; points, weights and edges must be numbers, parameters "
        "or arithmetic of those",
        id="'{name}' bukan parameter; poin, bobot, dan batas rentang harus berupa angka, "
        "parameter, atau hitungan dari keduanya",
    ),
}

_PROVENANCE = {
    "prov.unknown_source": T(
        en="no source '{name}' is declared", id="tidak ada sumber '{name}' yang dinyatakan"
    ),
    "prov.hint_declare": T(
        en='declare it: source {name} "title" {{ url "..." }}',
        id='nyatakan: source {name} "judul" {{ url "..." }}',
    ),
    "prov.unused_source": T(
        en="source '{name}' is never cited", id="sumber '{name}' tidak pernah dirujuk"
    ),
    "prov.unmarked": T(
        en="the number {value} in '{name}' is neither cited nor assumed",
        id="angka {value} pada '{name}' tidak dirujuk dan tidak dinyatakan sebagai asumsi",
    ),
    "prov.hint_unmarked": T(
        en='add `cites SOURCE "section"` or `assumed "reason"` to the definition'
        " (a parameter: to the parameter)",
        id='tambahkan `cites SUMBER "pasal"` atau `assumed "alasan"` pada definisinya'
        " (parameter: pada parameternya)",
    ),
    "prov.source_twice": T(
        en="source '{name}' is declared twice, differently",
        id="sumber '{name}' dinyatakan dua kali dengan isi berbeda",
    ),
    "prov.outside_within": T(
        en="'{name}' = {value} lies outside its plausible range {low} to {high}",
        id="'{name}' = {value} berada di luar rentang wajarnya {low} sampai {high}",
    ),
    "cli.sources_none": T(en="no sources declared", id="tidak ada sumber yang dinyatakan"),
    "prov.heading_sources": T(en="Sources", id="Sumber"),
    "prov.not_online": T(en="not online", id="tidak tersedia daring"),
    "prov.cited_by": T(en="cited by", id="dirujuk oleh"),
    "prov.not_cited": T(en="not cited", id="tidak dirujuk"),
    "prov.heading_assumed": T(
        en="Assumed (not published; chosen by the ruleset's authors)",
        id="Asumsi (tidak dipublikasikan; dipilih oleh penyusun ruleset)",
    ),
    "sensitivity.max_differs": T(
        en="the maximum of '{name}' under drawn parameters cannot be derived as the checker"
        " derives it; leave the parameters it reads without `within`",
        id="nilai maksimum '{name}' di bawah parameter yang diundi tidak dapat diturunkan"
        " seperti pemeriksa menurunkannya; hapus `within` dari parameter yang dibacanya",
    ),
    "sensitivity.checker_refuses": T(
        en="draw {draw}: the checker refuses it ({detail}) but the drawn plan kept it; the"
        " analysis cannot follow these draws: report this, and leave the parameters involved"
        " without `within` meanwhile",
        id="undian {draw}: pemeriksa menolaknya ({detail}) tetapi rencana undian memakainya;"
        " analisis tidak dapat mengikuti undian ini: laporkan, dan sementara itu hapus"
        " `within` dari parameter yang terlibat",
    ),
    "sensitivity.checker_accepts": T(
        en="draw {draw}: the checker accepts it but the drawn plan left it out{detail}; the"
        " analysis cannot follow these draws: report this, and leave the parameters involved"
        " without `within` meanwhile",
        id="undian {draw}: pemeriksa menerimanya tetapi rencana undian tidak memakainya{detail};"
        " analisis tidak dapat mengikuti undian ini: laporkan, dan sementara itu hapus"
        " `within` dari parameter yang terlibat",
    ),
    "sensitivity.checker_maximum": T(
        en="draw {draw}: the maximum of '{name}' under the drawn plan is not the checker's"
        " ({detail}); report this, and leave the parameters it reads without `within`"
        " meanwhile",
        id="undian {draw}: nilai maksimum '{name}' menurut rencana undian tidak sama dengan"
        " menurut pemeriksa ({detail}); laporkan, dan sementara itu hapus `within` dari"
        " parameter yang dibacanya",
    ),
    "sensitivity.too_many": T(
        en="{rows} draws x regions are more than one analysis holds (at most 100,000,000):"
        " use fewer draws",
        id="{rows} undian x wilayah melebihi yang dapat ditampung satu analisis (paling banyak"
        " 100.000.000): gunakan lebih sedikit undian",
    ),
    "check.rank_read": T(
        en="'{name}' is a rank: ranks are worked out after every score and the tiers, so only"
        " a rollup can read one",
        id="'{name}' adalah peringkat: peringkat dihitung setelah semua nilai dan predikat,"
        " jadi hanya rollup yang dapat membacanya",
    ),
    "sensitivity.no_tiers": T(
        en="the ruleset declares no tiers: there is no tier whose certainty to measure",
        id="ruleset tidak menyatakan predikat: tidak ada predikat yang dapat diukur kepastiannya",
    ),
    "sensitivity.formula_max": T(
        en="'{name}' has no declared maximum and its formula reads a drawn parameter:"
        " the draws would change a maximum that only the checker's ranges know;"
        " declare `max` or leave the parameter without `within`",
        id="'{name}' tidak menyatakan `max` dan rumusnya membaca parameter yang diundi:"
        " undian akan mengubah nilai maksimum yang hanya diketahui dari rentang pemeriksa;"
        " nyatakan `max` atau hapus `within` dari parameter itu",
    ),
    "sensitivity.outer_edge": T(
        en="'{name}' has a drawn outer band edge: a value outside it would be an error in"
        " some draws only; draw inner edges only",
        id="'{name}' memiliki batas pita terluar yang diundi: nilai di luarnya hanya akan"
        " menjadi galat pada sebagian undian; undi batas dalam saja",
    ),
    "sensitivity.sum_max": T(
        en="sum group '{name}' declares `max` and its members' maxima are drawn: no draw"
        " keeps them adding up to it; use `weighted` or drop `max`",
        id="grup jumlah '{name}' menyatakan `max` sedangkan maksimum anggotanya diundi: tidak"
        " ada undian yang tetap berjumlah sama; gunakan `weighted` atau hapus `max`",
    ),
    "sensitivity.mean_max": T(
        en="group '{name}' averages members whose maxima are drawn but declares no `max`",
        id="grup '{name}' merata-ratakan anggota yang maksimumnya diundi tanpa menyatakan `max`",
    ),
    "prov.within": T(en="plausible range {low} to {high}", id="rentang wajar {low} sampai {high}"),
    "prov.banner": T(
        en="Assumed: {assumed} of {total} scoring numbers are not officially published;"
        " see `indikator sources`",
        id="Asumsi: {assumed} dari {total} angka penilaian tidak dipublikasikan resmi;"
        " lihat `indikator sources`",
    ),
    "prov.mark_assumed": T(en="assumed", id="asumsi"),
    "prov.mark_cited": T(en="cited", id="dirujuk"),
    "prov.mark_structural": T(en="structural", id="struktural"),
    "prov.mark_unmarked": T(en="unmarked", id="tanpa tanda"),
    "prov.sources_caveat": T(
        en="Numbers marked [assumed] do not come from these sources.",
        id="Angka bertanda [asumsi] tidak berasal dari sumber ini.",
    ),
    "prov.column": T(en="Basis", id="Dasar"),
    "prov.col_definition": T(en="definition", id="definisi"),
    "prov.col_kind": T(en="provenance", id="asal angka"),
    "prov.col_sources": T(en="sources cited", id="sumber yang dirujuk"),
    "prov.counts": T(
        en="Scoring numbers: {cited} cited, {assumed} assumed, {structural} structural,"
        " {unmarked} unmarked",
        id="Angka penilaian: {cited} dirujuk, {assumed} asumsi, {structural} struktural,"
        " {unmarked} tanpa tanda",
    ),
}

_FUNCTIONS = {
    "call.unknown_function": T(en="unknown function '{name}'", id="fungsi '{name}' tidak dikenal"),
    "call.hint_functions": T(
        en="see the list of functions in the reference",
        id="lihat daftar fungsi di referensi bahasa",
    ),
    "call.arity": T(
        en="'{name}' takes {arity}, got {count}",
        id="'{name}' menerima {arity}, tetapi diberi {count}",
    ),
    "call.at_least": T(en="at least {count} arguments", id="paling sedikit {count} argumen"),
    "call.one": T(en="1 argument", id="1 argumen"),
    "call.exactly": T(en="{count} arguments", id="{count} argumen"),
    "call.between": T(en="{least} to {most} arguments", id="{least} sampai {most} argumen"),
    "call.takes_places": T(
        en="{function}'s places must be a whole number from 0 to 9",
        id="argumen places pada {function} harus bilangan bulat dari 0 sampai 9",
    ),
    "call.takes_checklist": T(
        en="{function}(...) takes a checklist input",
        id="{function}(...) menerima masukan daftar periksa (checklist)",
    ),
    "call.takes_input": T(
        en="{function}(...) takes an input", id="{function}(...) menerima sebuah masukan"
    ),
    "call.takes_past": T(
        en="{function}(...) takes an input that is not text or a checklist",
        id="{function}(...) menerima masukan yang bukan teks dan bukan daftar periksa",
    ),
    "call.takes_indicator": T(
        en="{function}(...) takes an indicator", id="{function}(...) menerima sebuah indikator"
    ),
    "call.takes_scored": T(
        en="{function}(...) takes an indicator or group",
        id="{function}(...) menerima indikator atau kelompok",
    ),
    # One line per function, for hints and the language reference.
    "function.min": T(en="min(a, b, ...): the smallest value", id="min(a, b, ...): nilai terkecil"),
    "function.max": T(en="max(a, b, ...): the largest value", id="max(a, b, ...): nilai terbesar"),
    "function.clamp": T(
        en="clamp(x, low, high): x kept within low..high",
        id="clamp(x, low, high): x dibatasi dalam low..high",
    ),
    "function.abs": T(en="abs(x): the absolute value", id="abs(x): nilai mutlak"),
    "function.round": T(
        en="round(x, places): x rounded half-up to `places` decimals",
        id="round(x, places): x dibulatkan setengah ke atas sampai `places` desimal",
    ),
    "function.percent_of": T(
        en="percent_of(x, target): x as a percentage of target (49 of 80 is 61.25 %)",
        id="percent_of(x, target): x sebagai persentase dari target (49 dari 80 adalah 61.25 %)",
    ),
    "function.percent": T(
        en="percent(score): a score as a percentage of its maximum",
        id="percent(score): nilai sebagai persentase dari maksimumnya",
    ),
    "function.count": T(
        en="count(checklist): how many items of a checklist are met",
        id="count(checklist): banyaknya butir daftar periksa yang terpenuhi",
    ),
    "function.count_reaching": T(
        en="count_reaching(threshold, s1, s2, ...): how many scores reach threshold % of their "
        "maximum",
        id="count_reaching(threshold, s1, s2, ...): banyaknya nilai yang mencapai threshold % "
        "dari maksimumnya",
    ),
    "function.all_met": T(
        en="all_met(score): yes when every indicator under the score is met",
        id="all_met(score): ya jika semua indikator di bawah nilai ini terpenuhi",
    ),
    "function.met": T(
        en="met(indicator): yes when the indicator is met",
        id="met(indicator): ya jika indikator terpenuhi",
    ),
    "function.present": T(
        en="present(input): yes when the input has a value",
        id="present(input): ya jika masukan memiliki nilai",
    ),
    "function.count_missing": T(
        en="count_missing(a, b, ...): how many of the inputs are missing",
        id="count_missing(a, b, ...): banyaknya masukan yang kosong",
    ),
    "function.count_present": T(
        en="count_present(a, b, ...): how many of the inputs have a value",
        id="count_present(a, b, ...): banyaknya masukan yang terisi",
    ),
    "function.value_or": T(
        en="value_or(x, fallback): x, or fallback where x is missing",
        id="value_or(x, fallback): x, atau fallback jika x kosong",
    ),
    "function.prev": T(
        en="prev(input): last year's value of an input (column 'input.prev')",
        id="prev(input): nilai masukan tahun lalu (kolom 'input.prev')",
    ),
}

_PARAMS = {
    "params.cannot_read": T(
        en="cannot read parameter file '{file}': {reason}",
        id="berkas parameter '{file}' tidak dapat dibaca: {reason}",
    ),
    "params.unknown": T(
        en="'{key}' is not a parameter of the ruleset",
        id="'{key}' bukan parameter ruleset ini",
    ),
    "params.unknown_close": T(
        en="'{key}' is not a parameter of the ruleset; did you mean '{close}'?",
        id="'{key}' bukan parameter ruleset ini; maksud Anda '{close}'?",
    ),
    "params.not_number": T(
        en="parameter '{key}' must be a number, not {value}",
        id="parameter '{key}' harus berupa angka, bukan {value}",
    ),
}

_FRONT = {
    # Hardening of reading, linking and parameter files (issue #12).
    "syntax.number_too_long": T(
        en="this number is written with {length} characters; at most {limit} are read",
        id="angka ini ditulis dengan {length} karakter; paling banyak {limit} karakter yang dibaca",
    ),
    "syntax.hint_number_too_long": T(
        en="leave out leading and trailing zeros: numbers in a ruleset are at most 10^15, "
        "with at most 9 decimal places",
        id="hapus nol di depan dan di belakang: angka dalam ruleset paling besar 10^15, "
        "dengan paling banyak 9 angka desimal",
    ),
    "syntax.cr_line_ends": T(
        en="a line ends with a lone carriage return (CR, as in old Mac files); "
        "indikator reads LF or CRLF line ends only",
        id="sebuah baris diakhiri carriage return (CR) saja, seperti pada berkas Mac lama; "
        "indikator hanya membaca akhir baris LF atau CRLF",
    ),
    "syntax.hint_cr_line_ends": T(
        en="save the file with LF (Unix) or CRLF (Windows) line ends",
        id="simpan berkas dengan akhir baris LF (Unix) atau CRLF (Windows)",
    ),
    "link.too_deep": T(
        en="files import or extend each other more than {levels} files deep, "
        "starting from '{first}'",
        id="berkas saling mengimpor atau memperluas lebih dari {levels} tingkat, "
        "mulai dari '{first}'",
    ),
    "link.hint_too_deep": T(
        en="import shared catalogues directly from the files that use them, "
        "not through a long chain",
        id="impor katalog bersama langsung dari berkas yang memakainya, "
        "bukan melalui rantai panjang",
    ),
    "params.not_utf8": T(
        en="the file is not UTF-8 text (byte 0x{byte}); save it as UTF-8",
        id="berkas ini bukan teks UTF-8 (bita 0x{byte}); simpan dengan pengodean UTF-8",
    ),
    "params.too_deep": T(en="values nest too deeply", id="nilai-nilainya bersarang terlalu dalam"),
    "params.too_long": T(
        en="a number in it has thousands of digits (parameters are at most 10^15)",
        id="ada angka dengan ribuan digit di dalamnya (parameter paling besar 10^15)",
    ),
    "params.huge": T(
        en="a whole number of about {digits} digits", id="bilangan bulat sekitar {digits} digit"
    ),
    "params.in_file": T(en="{problem} (in '{file}')", id="{problem} (dalam '{file}')"),
    "params.not_table": T(
        en="the parameter file must hold 'name = number' lines or a [params] table, not {found}",
        id="berkas parameter harus berisi baris 'nama = angka' atau tabel [params], bukan {found}",
    ),
    "params.not_mapping": T(
        en="parameters must be given as a mapping of name to number, not {found}",
        id="parameter harus diberikan sebagai pemetaan nama ke angka, bukan {found}",
    ),
    "params.not_finite": T(
        en="parameter '{key}' must be a finite number, not {value}",
        id="parameter '{key}' harus berupa angka terhingga, bukan {value}",
    ),
    "params.bad_digits": T(
        en="parameter '{key}' must be written with the digits 0-9, an optional sign, "
        "decimal point and exponent, not {value}",
        id="parameter '{key}' harus ditulis dengan angka 0-9, tanda, titik desimal, "
        "dan eksponen bila perlu, bukan {value}",
    ),
    "params.too_large": T(
        en="parameter '{key}' = {value} is too large: parameters are at most {largest} in size",
        id="parameter '{key}' = {value} terlalu besar: parameter paling besar {largest}",
    ),
    "params.too_precise": T(
        en="parameter '{key}' = {value} is too precise: at most {places} decimal places "
        "and {digits} significant digits",
        id="parameter '{key}' = {value} terlalu teliti: paling banyak {places} angka desimal "
        "dan {digits} angka penting",
    ),
}

_DATA = {
    "data.lengths": T(
        en="columns differ in length: {lengths}", id="panjang kolom berbeda-beda: {lengths}"
    ),
    "data.no_rows": T(en="the table has no rows", id="tabel tidak memiliki baris"),
    "data.missing_column": T(en="column '{column}' is missing", id="kolom '{column}' tidak ada"),
    "data.missing_column_close": T(
        en="column '{column}' is missing (the table has '{close}')",
        id="kolom '{column}' tidak ada (tabel memiliki kolom '{close}')",
    ),
    "data.extra_column": T(
        en="column '{column}' is not an input of the ruleset (pass extra='ignore' to allow it)",
        id="kolom '{column}' bukan masukan ruleset (berikan extra='ignore' untuk mengizinkannya)",
    ),
    "data.ids_repeat": T(
        en="region ids in '{column}' repeat", id="kode wilayah di kolom '{column}' berulang"
    ),
    "data.repeated_rows": T(
        en="{region} (rows {first} and {second})", id="{region} (baris {first} dan {second})"
    ),
    "data.infinite": T(
        en="column '{column}' holds infinite values",
        id="kolom '{column}' memuat nilai tak hingga",
    ),
    "data.not_expected": T(
        en="column '{column}' has {count} value(s) that are not {expected}",
        id="kolom '{column}' memuat {count} nilai yang bukan {expected}",
    ),
    "data.yes_no": T(en="yes or no (ya/tidak, 1/0)", id="ya atau tidak (ya/tidak, 1/0)"),
    "data.one_of": T(en="one of {choices}", id="salah satu dari {choices}"),
    "data.numbers": T(en="numbers", id="angka"),
    "data.texts": T(en="text or numbers", id="teks atau angka"),
    "data.region_ids": T(
        en="region ids (text or whole numbers; true or false is no region id)",
        id="kode wilayah (teks atau bilangan bulat; true atau false bukan kode wilayah)",
    ),
    "data.out_of_range": T(
        en="column '{column}' has {count} value(s) outside {low}..{high}",
        id="kolom '{column}' memuat {count} nilai di luar rentang {low}..{high}",
    ),
    "data.out_of_whole_range": T(
        en="column '{column}' has {count} value(s) outside whole numbers {low}..{high}",
        id="kolom '{column}' memuat {count} nilai yang bukan bilangan bulat dalam rentang "
        "{low}..{high}",
    ),
    "data.input": T(en="input '{name}' ({origin})", id="masukan '{name}' ({origin})"),
    "data.input_label": T(
        en="input '{name}' \"{label}\" ({origin})", id="masukan '{name}' \"{label}\" ({origin})"
    ),
    "data.definition": T(en="definition '{name}'", id="definisi '{name}'"),
    "data.missing_refused": T(
        en="'{column}' is missing for {count} region(s), and its policy is 'missing error'",
        id="'{column}' kosong di {count} wilayah, padahal aturannya 'missing error'",
    ),
    "data.outside_bands": T(
        en="'{name}': the value falls outside every band",
        id="'{name}': nilainya di luar semua rentang",
    ),
    "data.divides_by_zero": T(en="'{name}' divides by zero", id="'{name}' membagi dengan nol"),
    "data.overflow": T(
        en="'{name}' grows beyond the largest number a computer holds (about 10^308)",
        id="'{name}' melampaui angka terbesar yang dapat disimpan komputer (sekitar 10^308)",
    ),
    "data.rollup_missing": T(
        en="'{by}' is missing, so rollup '{rollup}' cannot group",
        id="'{by}' kosong, sehingga rekap '{rollup}' tidak dapat mengelompokkan wilayah",
    ),
}

_TABLES = {
    "data.synthetic": T(
        en="Synthetic example data — not the official result of any region",
        id="Data contoh sintetis — bukan hasil resmi wilayah mana pun",
    ),
    "table.meta_invalid": T(
        en="the data file's sidecar {path} cannot be read: {reason}",
        id="berkas keterangan data {path} tidak dapat dibaca: {reason}",
    ),
    "table.file": T(en="'{path}'", id="'{path}'"),
    "table.sheet": T(en="'{path}', sheet '{sheet}'", id="'{path}', lembar '{sheet}'"),
    "table.row": T(en="row {number}", id="baris {number}"),
    "table.record": T(en="record {number}", id="entri {number}"),
    "table.cell": T(en="{row} ({value})", id="{row} ({value})"),
    "table.extension": T(
        en="'{path}' has '{suffix}'; data files must be one of {known}",
        id="'{path}' berekstensi '{suffix}'; berkas data harus salah satu dari {known}",
    ),
    "table.no_extension": T(
        en="'{path}' has no extension; data files must be one of {known}",
        id="'{path}' tidak berekstensi; berkas data harus salah satu dari {known}",
    ),
    "table.sheet_not_workbook": T(
        en="'{path}' is not a workbook: --sheet applies to .xlsx files",
        id="'{path}' bukan buku kerja: --sheet hanya berlaku untuk berkas .xlsx",
    ),
    "table.cannot_read": T(
        en="cannot read {where}: {reason}", id="{where} tidak dapat dibaca: {reason}"
    ),
    "table.wrong_format": T(
        en="'{path}' is not {expected}: {actual}", id="'{path}' bukan {expected}: {actual}"
    ),
    "format.csv": T(en="a CSV file", id="berkas CSV"),
    "format.xlsx": T(en="an Excel workbook (.xlsx)", id="buku kerja Excel (.xlsx)"),
    "format.parquet": T(en="a Parquet file", id="berkas Parquet"),
    "format.json": T(en="a JSON file", id="berkas JSON"),
    "actual.zip": T(
        en="it is an Excel workbook (.xlsx) or another zip file",
        id="berkas ini buku kerja Excel (.xlsx) atau berkas zip lain",
    ),
    "actual.parquet": T(en="it is a Parquet file", id="berkas ini berkas Parquet"),
    "actual.xls": T(
        en="it is an old Excel workbook (.xls): save it as .xlsx",
        id="berkas ini buku kerja Excel lama (.xls): simpan sebagai .xlsx",
    ),
    "actual.empty": T(en="it is empty", id="berkas ini kosong"),
    "actual.text": T(en="it is text", id="berkas ini berisi teks"),
    "table.csv_not_utf8": T(
        en="{where} is not UTF-8 text: save it as 'CSV UTF-8'",
        id="{where} bukan teks UTF-8: simpan sebagai 'CSV UTF-8'",
    ),
    "table.empty": T(en="{where} is empty", id="{where} kosong"),
    "table.row_width": T(
        en="{where} row {number}: {cells} cells, the header has {width}",
        id="{where} baris {number}: {cells} sel, padahal baris judul memiliki {width}",
    ),
    "table.header_empty": T(
        en="{where}: the header row is empty", id="{where}: baris judul kosong"
    ),
    "table.header_numbers": T(
        en="{where}: the first row holds numbers ({shown}), not column names: add a header row "
        "naming each column",
        id="{where}: baris pertama berisi angka ({shown}), bukan nama kolom: tambahkan baris "
        "judul yang menamai setiap kolom",
    ),
    "table.column_twice": T(
        en="{where}: column '{name}' appears twice (columns {first} and {second})",
        id="{where}: kolom '{name}' muncul dua kali (kolom {first} dan {second})",
    ),
    "table.unnamed": T(
        en="{where} {row}: a value in column {column} ({value}), which has no name in the "
        "header row",
        id="{where} {row}: ada nilai di kolom {column} ({value}), yang tidak bernama di baris "
        "judul",
    ),
    "table.needs_package": T(
        en="{fmt} files need the '{module}' package: pip install 'indikator[{extra}]'",
        id="berkas {fmt} memerlukan paket '{module}': pip install 'indikator[{extra}]'",
    ),
    "table.bad_xlsx": T(
        en="{where} is not a readable Excel workbook (.xlsx): {reason}",
        id="{where} bukan buku kerja Excel (.xlsx) yang dapat dibaca: {reason}",
    ),
    "table.no_sheet": T(
        en="'{path}' has no sheet '{sheet}'; its sheets: {sheets}",
        id="'{path}' tidak memiliki lembar '{sheet}'; lembar yang ada: {sheets}",
    ),
    "table.row1_empty": T(
        en="{where}: row 1 is empty; the first row must name the columns",
        id="{where}: baris 1 kosong; baris pertama harus berisi nama kolom",
    ),
    "table.right_of_header": T(
        en="{where} row {number}: a value in column {column} ({value}), right of the header's "
        "{width} columns",
        id="{where} baris {number}: ada nilai di kolom {column} ({value}), di sebelah kanan "
        "{width} kolom baris judul",
    ),
    "table.bad_parquet": T(
        en="{where} is not a readable Parquet file: {reason}",
        id="{where} bukan berkas Parquet yang dapat dibaca: {reason}",
    ),
    "table.column_repeated": T(
        en="{where}: column '{name}' appears twice", id="{where}: kolom '{name}' muncul dua kali"
    ),
    "table.not_utf8": T(en="{where} is not UTF-8 text", id="{where} bukan teks UTF-8"),
    "table.key_twice": T(
        en="{where}: key '{key}' appears twice in one object",
        id="{where}: kunci '{key}' muncul dua kali dalam satu objek",
    ),
    "table.bad_json": T(
        en="{where} is not valid JSON: line {line} column {column}: {reason}",
        id="{where} bukan JSON yang sah: baris {line} kolom {column}: {reason}",
    ),
    "table.json_shape": T(
        en="{where} must hold a list of records or an object of columns, not {kind}",
        id="{where} harus berisi daftar entri atau objek berisi kolom, bukan {kind}",
    ),
    "table.no_records": T(en="{where} holds no records", id="{where} tidak berisi entri"),
    "table.record_not_object": T(
        en="{where} record {number} is {kind}, not an object of column → value",
        id="{where} entri {number} berupa {kind}, bukan objek kolom → nilai",
    ),
    "table.column_not_list": T(
        en="{where}: column '{name}' must be a list of values, not {kind}",
        id="{where}: kolom '{name}' harus berupa daftar nilai, bukan {kind}",
    ),
    "table.lengths": T(
        en="{where}: columns differ in length: {shown}",
        id="{where}: panjang kolom berbeda-beda: {shown}",
    ),
    "table.no_rows": T(en="{where} holds no rows", id="{where} tidak berisi baris"),
    "table.nested": T(
        en="{where} {row}, column '{name}': a nested {kind} where a single value belongs",
        id="{where} {row}, kolom '{name}': ada {kind} bersarang di tempat satu nilai",
    ),
    "table.decimal_comma": T(
        en="{where}, column '{name}': {count} cell(s) use a decimal comma: {shown}; others use "
        "a point, e.g. {point}. Use a point as the decimal separator ({fixed}, not {example})",
        id="{where}, kolom '{name}': {count} sel memakai koma desimal: {shown}; sel lain memakai "
        "titik, mis. {point}. Gunakan titik sebagai pemisah desimal ({fixed}, bukan {example})",
    ),
}

# Reading files as their author meant them (tables, xlsx, cells, data).
_READERS = {
    "readers.ambiguous": T(
        en="column '{column}' has {count} value(s) such as '{example}' that read differently "
        "by notation: with a decimal point '1.000' is one, in Indonesian notation one "
        "thousand. Declare the notation: --locale id (Python: locale='id') if points group "
        "thousands, --locale en if they are decimal points",
        id="kolom '{column}' memuat {count} nilai seperti '{example}' yang maknanya "
        "bergantung pada penulisan angka: dengan titik desimal '1.000' berarti satu, dalam "
        "penulisan Indonesia seribu. Nyatakan penulisannya: --locale id (Python: "
        "locale='id') bila titik memisahkan ribuan, --locale en bila titik adalah desimal",
    ),
    "readers.indonesian": T(
        en="column '{column}' has {count} value(s) in Indonesian notation such as "
        "'{example}' (a decimal comma, or points grouping thousands): read the file with "
        "--locale id (Python: locale='id'), or write numbers with a decimal point",
        id="kolom '{column}' memuat {count} nilai dalam penulisan Indonesia seperti "
        "'{example}' (koma desimal, atau titik pemisah ribuan): baca berkas dengan "
        "--locale id (Python: locale='id'), atau tulis angka dengan titik desimal",
    ),
    "readers.point_in_id": T(
        en="column '{column}' has {count} value(s) such as '{example}' with a decimal point, "
        "but the data is read with --locale id, where a point groups thousands: write a "
        "decimal comma ('85,5'), or read the file without --locale id",
        id="kolom '{column}' memuat {count} nilai seperti '{example}' dengan titik desimal, "
        "padahal data dibaca dengan --locale id, yang memakai titik sebagai pemisah ribuan: "
        "tulis koma desimal ('85,5'), atau baca berkas tanpa --locale id",
    ),
    "readers.percent_sign": T(
        en="column '{column}' has {count} value(s) with a percent sign such as '{example}', "
        "but its input is not a percentage: write the number alone, in the input's unit",
        id="kolom '{column}' memuat {count} nilai bertanda persen seperti '{example}', "
        "padahal masukannya bukan persentase: tulis angkanya saja, dalam satuan masukan",
    ),
    "readers.percent_mixed": T(
        en="column '{column}': {marked} cell(s) are formatted as percentages (e.g. "
        "{example}), and {count} others hold plain numbers from 0 to 1 (e.g. {plain}), "
        "which may be fractions (0.85 = 85 %) or percents (0.85 %): format the whole column "
        "as Percentage, or type every value as a number from 0 to 100",
        id="kolom '{column}': {marked} sel berformat persentase (mis. {example}), dan {count} "
        "sel lain berisi angka biasa antara 0 dan 1 (mis. {plain}), yang dapat berarti "
        "pecahan (0,85 = 85 %) atau persen (0,85 %): format seluruh kolom sebagai "
        "Persentase, atau ketik setiap nilai sebagai angka 0 sampai 100",
    ),
    "readers.not_one_column": T(
        en="column '{column}' is an array of shape {shape}: a column is one value per region",
        id="kolom '{column}' berupa larik berbentuk {shape}: satu kolom berisi satu nilai "
        "per wilayah",
    ),
    "readers.locale": T(
        en="unknown number notation (locale) '{locale}'; known: {known}, or none for the "
        "safe default",
        id="penulisan angka (locale) '{locale}' tidak dikenal; yang dikenal: {known}, atau "
        "tanpa locale untuk bawaan yang aman",
    ),
    "readers.csv_row": T(
        en="{where} row {number} cannot be read: {reason}",
        id="{where} baris {number} tidak dapat dibaca: {reason}",
    ),
    "readers.json_deep": T(
        en="{where} nests lists or objects too deeply: a table is a list of records or an "
        "object of columns",
        id="{where} memuat daftar atau objek yang bersarang terlalu dalam: tabel berupa "
        "daftar entri atau objek berisi kolom",
    ),
    "readers.json_number": T(
        en="{where} holds a number of thousands of digits: no input holds one (at most 10^15)",
        id="{where} memuat angka beribu-ribu digit: tidak ada masukan yang dapat menampungnya"
        " (paling besar 10^15)",
    ),
    "readers.json_constant": T(
        en="{where} {row}, column '{name}': {token} is not a JSON value (JSON has no NaN or "
        "infinity): write null for a missing value, or the number",
        id="{where} {row}, kolom '{name}': {token} bukan nilai JSON (JSON tidak mengenal NaN "
        "atau tak hingga): tulis null untuk nilai yang tidak ada, atau angkanya",
    ),
    "readers.json_surrogate": T(
        en="{where} {row}, column '{name}': the text '{text}' holds a lone surrogate escape "
        "(\\ud800 to \\udfff without its pair), which is no character: correct or remove it",
        id="{where} {row}, kolom '{name}': teks '{text}' memuat escape surrogate tunggal "
        "(\\ud800 sampai \\udfff tanpa pasangannya), yang bukan karakter: perbaiki atau hapus",
    ),
    "readers.json_surrogate_key": T(
        en="{where}: the column name '{text}' holds a lone surrogate escape (\\ud800 to "
        "\\udfff without its pair), which is no character: correct or remove it",
        id="{where}: nama kolom '{text}' memuat escape surrogate tunggal (\\ud800 sampai "
        "\\udfff tanpa pasangannya), yang bukan karakter: perbaiki atau hapus",
    ),
    "readers.xlsx_too_large": T(
        en="{where}: part '{part}' unpacks to {size} bytes from {packed}, more than a real "
        "workbook holds (a decompression bomb?); it is not read",
        id="{where}: bagian '{part}' mengembang menjadi {size} bita dari {packed}, melebihi "
        "isi buku kerja yang wajar (bom dekompresi?); berkas tidak dibaca",
    ),
    "readers.parquet_column": T(
        en="{where}: column '{name}' cannot be read ({reason})",
        id="{where}: kolom '{name}' tidak dapat dibaca ({reason})",
    ),
    "readers.write_surrogate": T(
        en="cannot write '{path}': column '{name}', {row} holds the text {value} with a lone "
        "surrogate (U+D800 to U+DFFF without its pair), which is no character: correct the "
        "text",
        id="'{path}' tidak dapat ditulis: kolom '{name}', {row} berisi teks {value} dengan "
        "surrogate tunggal (U+D800 sampai U+DFFF tanpa pasangannya), yang bukan karakter: "
        "perbaiki teksnya",
    ),
    "readers.write_surrogate_name": T(
        en="cannot write '{path}': the column name {value} holds a lone surrogate (U+D800 to "
        "U+DFFF without its pair), which is no character: correct the name",
        id="'{path}' tidak dapat ditulis: nama kolom {value} memuat surrogate tunggal (U+D800 "
        "sampai U+DFFF tanpa pasangannya), yang bukan karakter: perbaiki namanya",
    ),
    "readers.write_infinite": T(
        en="cannot write '{path}': column '{name}', {row} holds an infinite number ({value}), "
        "which {fmt} cannot hold",
        id="'{path}' tidak dapat ditulis: kolom '{name}', {row} berisi bilangan tak hingga "
        "({value}), yang tidak dapat dimuat {fmt}",
    ),
    "readers.no_worksheet": T(
        en="{where} holds no worksheet to read",
        id="{where} tidak memiliki lembar kerja untuk dibaca",
    ),
    "readers.cell_too_long": T(
        en="{where}, cell {cell} holds {length} characters; Excel keeps at most {limit}",
        id="{where}, sel {cell} berisi {length} karakter; Excel menyimpan paling banyak {limit}",
    ),
    "readers.formula_not_saved": T(
        en="{where}: {count} formula cell(s) have no saved value ({cells}); the program that "
        "wrote the workbook did not calculate them. Open and save it in Excel or LibreOffice",
        id="{where}: {count} sel rumus tidak memiliki nilai tersimpan ({cells}); program "
        "yang menulis buku kerja tidak menghitungnya. Buka dan simpan di Excel atau LibreOffice",
    ),
}

_OTHER = {
    # how `indikator test` reports a case that fails
    "cases.unexpected_error": T(
        en="unexpected error: {error}", id="kesalahan yang tidak diharapkan: {error}"
    ),
    "cases.expected_error": T(
        en="expected error {code}, got {got}", id="diharapkan kesalahan {code}, yang terjadi {got}"
    ),
    "cases.expected_error_evaluated": T(
        en="expected error {code}, but it evaluated",
        id="diharapkan kesalahan {code}, tetapi perhitungannya berhasil",
    ),
    "cases.where": T(en="region {region}: ", id="wilayah {region}: "),
    "cases.no_value": T(
        en="{where}no value named '{key}'", id="{where}tidak ada nilai bernama '{key}'"
    ),
    "cases.mismatch": T(
        en="{where}{key}: expected {want}, got {got}",
        id="{where}{key}: diharapkan {want}, hasilnya {got}",
    ),
    "cases.cannot_read": T(
        en="cannot read case file '{path}': {reason}",
        id="berkas kasus uji '{path}' tidak dapat dibaca: {reason}",
    ),
    "cases.shape": T(
        en="'{path}' needs `ruleset = \"...\"` and at least one [[cases]]",
        id="'{path}' memerlukan `ruleset = \"...\"` dan paling sedikit satu [[cases]]",
    ),
    "cases.count": T(
        en="case '{name}': {regions} regions but {expected} expected",
        id="kasus '{name}': {regions} wilayah, tetapi {expected} hasil yang diharapkan",
    ),
    "question.no_tiers": T(en="the ruleset has no tiers", id="ruleset ini tidak memiliki predikat"),
    "shipped.no_ruleset": T(
        en="no shipped ruleset '{scheme}' (shipped: {shipped})",
        id="tidak ada ruleset bawaan '{scheme}' (yang tersedia: {shipped})",
    ),
    "shipped.no_ruleset_close": T(
        en="no shipped ruleset '{scheme}' (shipped: {shipped}); did you mean '{close}'?",
        id="tidak ada ruleset bawaan '{scheme}' (yang tersedia: {shipped}); maksud Anda '{close}'?",
    ),
    "shipped.no_edition": T(
        en="no edition {edition} of '{scheme}' (editions: {known})",
        id="tidak ada edisi {edition} untuk '{scheme}' (edisi yang ada: {known})",
    ),
    "cli.summary": T(
        en="{errors} error(s), {warnings} warning(s)",
        id="{errors} kesalahan, {warnings} peringatan",
    ),
    "cli.ok_catalogue": T(
        en="{file}: ok, a catalogue to import ({definitions} definitions, {inputs} inputs)",
        id=(
            "{file}: tidak ada masalah, katalog untuk diimpor"
            " ({definitions} definisi, {inputs} masukan)"
        ),
    ),
    "cli.ok": T(
        en="{file}: ok ({definitions} definitions, {inputs} inputs)",
        id="{file}: tidak ada masalah ({definitions} definisi, {inputs} masukan)",
    ),
    "cli.no_region": T(
        en="error: no region '{region}' in the data ({count} regions: {some})",
        id="kesalahan: tidak ada wilayah '{region}' dalam data ({count} wilayah: {some})",
    ),
    "cli.wrote": T(en="wrote {path}", id="{path} sudah ditulis"),
    "cli.check_and_write": T(
        en="--check and --write exclude each other", id="--check dan --write saling meniadakan"
    ),
    "cli.one_file": T(
        en="give one FILE to print, or use --check or --write",
        id="beri satu FILE untuk dicetak, atau pakai --check atau --write",
    ),
    "cli.images_from_dot": T(
        en="images are drawn from DOT; use --format dot or -o FILE.mmd",
        id="gambar dibuat dari DOT; pakai --format dot atau -o FILE.mmd",
    ),
    # the command line's help (`indikator --help`, `indikator COMMAND --help`)
    "help.lang": T(
        en="Language of labels and messages.",
        id="Bahasa label dan pesan.",
    ),
    "help.lang_messages": T(
        en="Language of messages.",
        id="Bahasa pesan.",
    ),
    "help.locale": T(
        en="Notation of numbers in text cells: id = 1.000,5 (Indonesian), en = 1,000.5.",
        id="Penulisan angka dalam sel teks: id = 1.000,5 (Indonesia), en = 1,000.5 (Inggris).",
    ),
    "help.strict": T(
        en="Treat warnings as errors, and refuse a scoring number neither cited nor assumed.",
        id=(
            "Anggap peringatan sebagai kesalahan, dan tolak angka penilaian yang tidak"
            " dirujuk maupun dinyatakan asumsi."
        ),
    ),
    "help.output_columns": T(
        en="Write all columns to this file (.csv, .xlsx, .parquet or .json).",
        id="Tulis semua kolom ke berkas ini (.csv, .xlsx, .parquet atau .json).",
    ),
    "help.params": T(
        en="TOML file of parameter overrides.",
        id="Berkas TOML berisi parameter pengganti.",
    ),
    "help.format": T(
        en="Output form: text to read, json for programs.",
        id="Bentuk keluaran: text atau json.",
    ),
    "help.ignore_extra": T(
        en="Allow data columns the ruleset does not read.",
        id="Izinkan kolom data yang tidak dibaca ruleset.",
    ),
    "help.region": T(
        en="The region's id, e.g. 3201 ('row 3' without ids).",
        id="Kode wilayah, mis. 3201 ('row 3' bila tanpa kode).",
    ),
    "help.output_text": T(
        en="Write the report to this file instead (.txt or .md: text; .json: JSON).",
        id="Tulis laporan ke berkas ini (.txt atau .md: teks; .json: JSON).",
    ),
    "help.output_html": T(
        en="The HTML file to write (.html or .htm).",
        id="Berkas HTML yang ditulis (.html atau .htm).",
    ),
    "help.report_region": T(
        en="One region's id; without it, every region and an overview.",
        id="Kode satu wilayah; tanpa ini, semua wilayah dan rekapnya.",
    ),
    "help.report_draws": T(
        en="Add how sure each tier is: this many draws of the assumed parameters.",
        id="Tambahkan seberapa pasti setiap predikat: sebanyak ini undian parameter asumsi.",
    ),
    "help.seed": T(
        en="Seed of the draws.",
        id="Benih undian.",
    ),
    "help.top": T(
        en="Indicators shown per region.",
        id="Jumlah indikator yang ditampilkan per wilayah.",
    ),
    "help.regions": T(
        en="Region id (repeatable).",
        id="Kode wilayah (boleh diulang).",
    ),
    "help.sets": T(
        en="Sets of indicators to show.",
        id="Jumlah kombinasi indikator yang ditampilkan.",
    ),
    "help.max_size": T(
        en="Largest set to search.",
        id="Kombinasi terbesar yang dicari.",
    ),
    "help.params_b": T(
        en="TOML file of parameter overrides for RULESET_B.",
        id="Berkas TOML berisi parameter pengganti untuk RULESET_B.",
    ),
    "help.check": T(
        en="Change nothing; list unformatted files, exit 1 if any.",
        id="Jangan ubah apa pun; daftar berkas yang belum rapi, keluar dengan 1 bila ada.",
    ),
    "help.write": T(
        en="Rewrite unformatted files in place.",
        id="Tulis ulang berkas yang belum rapi di tempatnya.",
    ),
    "help.graph_format": T(
        en="Text format (default: mermaid for -o *.mmd, else dot).",
        id="Format teks (bawaan: mermaid untuk -o *.mmd, selain itu dot).",
    ),
    "help.graph_output": T(
        en=(
            "Write here instead of printing: .dot or .gv (DOT), .mmd (Mermaid), or .svg,"
            " .png and .pdf drawn with Graphviz."
        ),
        id=(
            "Tulis ke sini alih-alih mencetak: .dot atau .gv (DOT), .mmd (Mermaid), atau"
            " .svg, .png dan .pdf yang digambar dengan Graphviz."
        ),
    ),
    "help.draws": T(
        en="Draws of the assumed parameters.",
        id="Jumlah undian parameter asumsi.",
    ),
    "help.robust": T(
        en="Share of draws that must keep the assumed tier for a 'robust' verdict.",
        id="Bagian undian yang harus mempertahankan predikat asumsi agar putusannya 'kokoh'.",
    ),
    "help.sensitivity_output": T(
        en="Also write one row per region to this file (.csv, .xlsx or .json).",
        id="Tulis juga satu baris per wilayah ke berkas ini (.csv, .xlsx atau .json).",
    ),
    "help.command.main": T(
        en="Check and evaluate indikator rulesets (KLA, KKS, stunting, your own).",
        id="Periksa dan hitung ruleset indikator (KLA, KKS, stunting, atau buatan sendiri).",
    ),
    "help.command.check": T(
        en="Check a ruleset FILE (or a catalogue that rulesets import) and report every problem.",
        id=(
            "Periksa berkas ruleset FILE (atau katalog yang diimpor ruleset) dan laporkan"
            " setiap masalah."
        ),
    ),
    "help.command.sources": T(
        en="List the sources a RULESET cites, what cites each, and the numbers it assumes.",
        id=(
            "Daftar sumber yang dirujuk RULESET, apa yang merujuk masing-masing, dan angka"
            " yang diasumsikan."
        ),
    ),
    "help.command.evaluate": T(
        en=(
            "Evaluate RULESET on every region of DATA (CSV, XLSX, Parquet, JSON); print the tiers."
            " Several RULESETs (kla kks stunting DATA): each scheme's total and tier per region."
        ),
        id=(
            "Hitung RULESET untuk setiap wilayah dalam DATA (CSV, XLSX, Parquet, JSON);"
            " cetak predikatnya. Beberapa RULESET (kla kks stunting DATA): nilai total dan"
            " predikat setiap skema per wilayah."
        ),
    ),
    "help.command.test_cases": T(
        en="Run the case files (*.cases.toml) in PATHS (files or folders).",
        id="Jalankan berkas kasus (*.cases.toml) dalam PATHS (berkas atau folder).",
    ),
    "help.command.explain": T(
        en="Explain how one region's score and tier arose, citing the rule behind each number.",
        id="Jelaskan asal nilai dan predikat satu wilayah, dengan aturan di balik setiap angka.",
    ),
    "help.command.report": T(
        en=(
            "Write a self-contained HTML report (inline CSS and SVG, no scripts) of DATA's regions."
            " Several RULESETs (kla kks stunting DATA): the region profile across the schemes."
        ),
        id=(
            "Tulis laporan HTML mandiri (CSS dan SVG di dalamnya, tanpa skrip) untuk"
            " wilayah-wilayah DATA. Beberapa RULESET (kla kks stunting DATA): profil wilayah"
            " lintas skema."
        ),
    ),
    "help.command.next_tier": T(
        en=(
            "What a region needs to reach the next tier, grouped by agency (OPD).\n\nNames"
            " the value each input must reach for its next band, the cheapest path to the"
            " next tier (re-evaluated) and, for ranked schemes, the gap to the next rank."
        ),
        id=(
            "Apa yang dibutuhkan wilayah untuk mencapai predikat berikutnya, dikelompokkan"
            " per OPD.\n\nMenyebut nilai yang harus dicapai setiap masukan untuk pita"
            " berikutnya, jalur termurah ke predikat berikutnya (dihitung ulang), dan, untuk"
            " skema berperingkat, selisih ke peringkat di atasnya."
        ),
    ),
    "help.command.readiness": T(
        en=(
            "Data readiness (kesiapan data dukung): every empty or invalid cell, per"
            " agency.\n\nExits 1 when evaluation would be refused, so it can gate a"
            " submission."
        ),
        id=(
            "Kesiapan data dukung: setiap sel kosong atau tidak valid, per OPD.\n\nKeluar"
            " dengan 1 bila evaluasi akan ditolak, sehingga dapat menjadi syarat"
            " pengiriman."
        ),
    ),
    "help.command.compare": T(
        en=(
            "Year over year: regions that moved a tier between OLD and NEW data, and why;"
            " then those whose score moved inside their tier."
        ),
        id=(
            "Tahun ke tahun: wilayah yang berpindah predikat antara data OLD dan NEW, dan"
            " sebabnya; lalu wilayah yang nilainya berubah dalam predikat yang sama."
        ),
    ),
    "help.command.diff": T(
        en=(
            "Regions whose tier changes from RULESET_A to RULESET_B on the same DATA, and"
            " why.\n\nRULESET_B may be the same file as RULESET_A with --params (new"
            " weights)."
        ),
        id=(
            "Wilayah yang predikatnya berubah dari RULESET_A ke RULESET_B pada DATA yang"
            " sama, dan sebabnya.\n\nRULESET_B boleh berkas yang sama dengan RULESET_A"
            " dengan --params (bobot baru)."
        ),
    ),
    "help.command.fmt": T(
        en=(
            "Lay out ruleset files canonically; comments are kept.\n\nPATHS are .ikr files"
            " or folders (searched for *.ikr). Without options, the formatted\ntext of the"
            " one FILE is printed."
        ),
        id=(
            "Rapikan tata letak berkas ruleset; komentar dipertahankan.\n\nPATHS adalah"
            " berkas .ikr atau folder (dicari *.ikr). Tanpa pilihan, teks rapi dari satu"
            " FILE dicetak."
        ),
    ),
    "help.command.graph": T(
        en="Draw which definitions of RULESET read which, from inputs to the total.",
        id="Gambarkan definisi RULESET mana membaca yang mana, dari masukan sampai nilai total.",
    ),
    "help.command.sensitivity": T(
        en="How sure each tier is: assumed parameters drawn in their plausible ranges.",
        id="Seberapa pasti setiap predikat: parameter asumsi diundi dalam rentang wajarnya.",
    ),
    "cli.reformatted": T(en="reformatted {file}", id="{file} sudah dirapikan"),
    "cli.passed_failed": T(
        en="{passed} passed, {failed} failed", id="{passed} lulus, {failed} gagal"
    ),
    "cli.case_failed": T(en="FAILED {case}", id="GAGAL {case}"),
    "cli.evaluating_whole": T(
        en="Evaluating {rows} rows at once (ranks and rollups need them all) ...",
        id="Menghitung {rows} baris sekaligus (peringkat dan rekap memerlukan semuanya) ...",
    ),
    "cli.evaluating": T(en="Evaluating", id="Menghitung"),
    "cli.region": T(en="Region {region}", id="Wilayah {region}"),
    "cli.sources": T(en="Sources:", id="Sumber:"),
    # the columns of `evaluate`'s table; the scored definition's column keeps its name
    "cli.column.region": T(en="region", id="wilayah"),
    "cli.column.name": T(en="name", id="nama"),
    "cli.column.tier": T(en="tier", id="predikat"),
    # IK502 as the command line shows it: its option, not the Python keyword of data.extra_column
    "cli.extra_column": T(
        en="column '{column}' is not an input of the ruleset (pass --ignore-extra to allow it)",
        id="kolom '{column}' bukan masukan ruleset (beri --ignore-extra untuk mengizinkannya)",
    ),
}

_OUTPUT = {
    # Files the commands write (`indikator.outputs`); `{option}` is how it was given, '-o'.
    "output.is_input": T(
        en="the output '{output}' ({option}) is {role} '{input}': writing it would destroy it",
        id="berkas keluaran '{output}' ({option}) adalah {role} '{input}': menulisnya akan "
        "merusak berkas itu",
    ),
    "output.hint_is_input": T(
        en="write to a new file, e.g. {option} {suggestion}",
        id="tulis ke berkas baru, mis. {option} {suggestion}",
    ),
    "output.role_data": T(en="the data file", id="berkas data"),
    "output.role_ruleset": T(en="the ruleset file", id="berkas ruleset"),
    "output.role_import": T(
        en="a file the ruleset imports or extends",
        id="berkas yang diimpor atau diperluas oleh ruleset",
    ),
    "output.role_params": T(en="the parameter file", id="berkas parameter"),
    "output.extension": T(
        en="'{output}' ({option}) is not a name for {what}: use one ending in {known}",
        id="'{output}' ({option}) bukan nama yang cocok untuk {what}: gunakan nama berakhiran "
        "{known}",
    ),
    "output.what_report": T(en="an HTML report", id="laporan HTML"),
    "output.what_text": T(en="a text or JSON report", id="laporan teks atau JSON"),
    "output.what_graph": T(en="a diagram", id="diagram"),
    "output.hint_extension": T(en="e.g. {option} {suggestion}", id="mis. {option} {suggestion}"),
    "output.cannot_write": T(
        en="cannot write '{output}': {reason}", id="'{output}' tidak dapat ditulis: {reason}"
    ),
    "output.hint_cannot_write": T(
        en="check that the folder '{folder}' exists and that you may write to it",
        id="periksa bahwa folder '{folder}' ada dan Anda boleh menulis di sana",
    ),
}

_GAPS = {
    # What an excluded cell is worth (`indikator.gaps`), in `readiness` and `explain`.
    "gaps.title": T(
        en="Empty cells left out (missing exclude): the score '{score}' as evaluated, and with "
        "the worst and the best value in the gap",
        id="Sel kosong yang tidak dihitung (missing exclude): skor '{score}' hasil evaluasi, "
        "serta dengan nilai terburuk dan terbaik di tempat yang kosong",
    ),
    "gaps.none": T(
        en="no empty cell is left out (missing exclude)",
        id="tidak ada sel kosong yang tidak dihitung (missing exclude)",
    ),
    "gaps.col_region": T(en="region", id="wilayah"),
    "gaps.col_name": T(en="name", id="nama"),
    "gaps.col_input": T(en="input", id="masukan"),
    "gaps.col_score": T(en="score", id="skor"),
    "gaps.col_worst": T(en="with worst (value)", id="jika terburuk (nilai)"),
    "gaps.col_best": T(en="with best (value)", id="jika terbaik (nilai)"),
    "gaps.col_tier": T(en="tier (worst .. best)", id="predikat (terburuk .. terbaik)"),
    "gaps.col_flag": T(en="flag", id="tanda"),
    "gaps.flag_gains": T(en="! gains by leaving it empty", id="! untung karena dikosongkan"),
    "gaps.gaming": T(
        en="! {count} region(s) score more with the cell empty than with the worst answer",
        id="! {count} wilayah mendapat skor lebih tinggi dengan sel kosong daripada dengan "
        "jawaban terburuk",
    ),
    "gaps.hint": T(
        en="an empty cell must not pay: check that the item truly does not apply to these "
        "regions, or fill the cell",
        id="sel kosong tidak boleh menguntungkan: pastikan butir itu memang tidak berlaku bagi "
        "wilayah tersebut, atau isi selnya",
    ),
    "gaps.no_gaming": T(
        en="no region scores more with a cell empty than with the worst answer",
        id="tidak ada wilayah yang skornya lebih tinggi dengan sel kosong daripada dengan "
        "jawaban terburuk",
    ),
}

#: The words of the analyses and their reports (explain, advice, compare, readiness,
#: sensitivity, the HTML report); `indikator.messages.phrases` reads them by prefix.
_VIEWS = {
    # advice
    "advice.score": T(en="score", id="nilai"),
    "advice.incomplete": T(
        en="score incomplete: no tier until the data is complete",
        id="nilai belum lengkap: tanpa predikat, lengkapi datanya dulu",
    ),
    "advice.top": T(
        en="the highest tier is already reached", id="predikat tertinggi sudah tercapai"
    ),
    "advice.toward": T(
        en="Toward {tier} (from {lower}): {gap} points missing",
        id="Menuju {tier} (mulai {lower}): kurang {gap} poin",
    ),
    "advice.toward_gates": T(
        en="Toward {tier}: the score suffices; the requirements remain",
        id="Menuju {tier}: nilai sudah cukup, tinggal memenuhi syarat",
    ),
    "advice.gates": T(en="Requirements not met:", id="Syarat yang belum terpenuhi:"),
    "advice.unmet": T(en="not met", id="belum terpenuhi"),
    "advice.sets": T(
        en="Smallest sets: {size} indicator(s) ({count} shown{more})",
        id="Kombinasi terkecil: {size} indikator ({count} ditampilkan{more})",
    ),
    "advice.more": T(en=", more exist", id=", masih ada kombinasi lain"),
    "advice.too_many": T(
        en="Closing the gap needs more than {size} indicators at once",
        id="Perlu lebih dari {size} indikator sekaligus untuk menutup selisih",
    ),
    "advice.unreachable": T(
        en="The gap stays open even with every indicator at its maximum",
        id="Selisih tidak tertutup walaupun semua indikator mencapai nilai maksimum",
    ),
    "advice.by_agency": T(en="Tasks per agency (OPD):", id="Tugas per OPD:"),
    "advice.in_sets": T(en="set", id="kombinasi"),
    "advice.skipped": T(en="Not counted:", id="Tidak dihitung:"),
    "advice.excluded": T(
        en="no data (excluded): fill it in first", id="data kosong (dikecualikan): isi datanya dulu"
    ),
    "advice.through": T(
        en="scored through the formula '{name}'", id="dihitung melalui rumus '{name}'"
    ),
    "advice.no_agency": T(en="no agency", id="tanpa OPD"),
    # compare
    "compare.compare": T(en="Year-over-year comparison", id="Perbandingan tahun ke tahun"),
    "compare.diff": T(
        en="Ruleset comparison: A = {a}, B = {b}", id="Perbandingan aturan: A = {a}, B = {b}"
    ),
    "compare.counts": T(
        en="{both} regions on both sides; {up} up, {down} down, {same} unchanged",
        id="{both} wilayah di kedua sisi; naik {up}, turun {down}, tetap {same}",
    ),
    "compare.up": T(en="Moved up:", id="Naik predikat:"),
    "compare.down": T(en="Moved down:", id="Turun predikat:"),
    "compare.missing": T(en="(score incomplete)", id="(nilai belum lengkap)"),
    "compare.effect": T(en="score", id="nilai"),
    "compare.requires": T(en="requirement", id="syarat"),
    "compare.yes": T(en="met", id="terpenuhi"),
    "compare.no": T(en="not met", id="tidak terpenuhi"),
    "compare.only_old": T(en="Only in the old data:", id="Hanya di data lama:"),
    "compare.only_new": T(en="Only in the new data:", id="Hanya di data baru:"),
    "compare.only_a": T(en="Definitions only in A:", id="Definisi hanya di A:"),
    "compare.only_b": T(en="Definitions only in B:", id="Definisi hanya di B:"),
    "compare.bounds": T(en="Tier lower ends changed:", id="Batas bawah predikat berubah:"),
    "compare.no_agency": T(en="no agency", id="tanpa OPD"),
    # readiness
    "readiness.title": T(en="Data readiness", id="Kesiapan data dukung"),
    "readiness.head": T(
        en="{regions} regions, {missing} empty cells, {invalid} invalid, {absent} absent columns",
        id=(
            "{regions} wilayah, {missing} sel kosong, {invalid} tidak valid, {absent} kolom"
            " tidak ada"
        ),
    ),
    "readiness.ready": T(en="evaluation can run", id="evaluasi dapat berjalan"),
    "readiness.blocked": T(
        en="evaluation BLOCKED until the problems marked '!' are fixed",
        id="evaluasi TERHENTI sampai masalah bertanda '!' diperbaiki",
    ),
    "readiness.missing": T(en="empty", id="kosong"),
    "readiness.invalid": T(en="unreadable", id="tidak terbaca"),
    "readiness.ambiguous": T(
        en="ambiguous, declare --locale id or en", id="bermakna ganda, nyatakan --locale id atau en"
    ),
    "readiness.out_of_range": T(en="out of range", id="di luar rentang"),
    "readiness.not_whole": T(en="not a whole number", id="bukan bilangan bulat"),
    "readiness.zero": T(en="scored 0", id="dinilai 0"),
    "readiness.zero_item": T(en="item counted as not met", id="butir dihitung tidak terpenuhi"),
    "readiness.exclude": T(
        en="left out, its group renormalised", id="tidak dihitung, kelompok dinormalkan ulang"
    ),
    "readiness.error": T(en="evaluation blocked", id="evaluasi terhenti"),
    "readiness.absent": T(en="Columns absent from the table:", id="Kolom tidak ada di tabel:"),
    "readiness.extra": T(
        en="Columns the ruleset does not read:", id="Kolom yang tidak dibaca aturan:"
    ),
    "readiness.ids": T(en="Repeated region ids:", id="Kode wilayah berulang:"),
    "readiness.per_agency": T(en="Summary per agency (OPD):", id="Ringkasan per OPD:"),
    "readiness.none": T(en="no problems", id="tidak ada masalah"),
    "readiness.no_agency": T(en="no agency", id="tanpa OPD"),
    # readiness tables
    "readiness.column.region": T(en="region", id="wilayah"),
    "readiness.column.name": T(en="name", id="nama"),
    "readiness.column.column": T(en="column", id="kolom"),
    "readiness.column.agency": T(en="agency", id="OPD"),
    "readiness.column.problem": T(en="problem", id="masalah"),
    "readiness.agency_column.agency": T(en="agency", id="OPD"),
    "readiness.agency_column.empty": T(en="empty", id="kosong"),
    "readiness.agency_column.invalid": T(en="invalid", id="tidak valid"),
    "readiness.agency_column.absent_columns": T(en="absent columns", id="kolom tidak ada"),
    "readiness.agency_column.regions": T(en="regions", id="wilayah"),
    # report
    "report.overview": T(en="Tier overview", id="Rekap predikat"),
    "report.regions": T(en="regions", id="wilayah"),
    "report.region": T(en="Region", id="Wilayah"),
    "report.code": T(en="Code", id="Kode"),
    "report.name": T(en="Name", id="Nama"),
    "report.total": T(en="Total score", id="Nilai total"),
    "report.tier": T(en="Tier", id="Predikat"),
    "report.no_tier": T(en="no tier", id="tanpa predikat"),
    "report.count": T(en="Regions", id="Jumlah wilayah"),
    "report.of": T(en="of", id="dari"),
    "report.scale": T(en="scale", id="skala"),
    "report.groups": T(en="Points per group", id="Nilai per kelompok"),
    "report.no_groups": T(
        en="This ruleset has no groups.", id="Ruleset ini tidak memiliki kelompok nilai."
    ),
    "report.next": T(en="Towards the next tier", id="Menuju predikat berikutnya"),
    "report.requirements": T(en="Tier requirements", id="Syarat predikat"),
    "report.requirement": T(en="Requirement", id="Syarat"),
    "report.for_tier": T(en="For tier", id="Untuk predikat"),
    "report.status": T(en="Status", id="Status"),
    "report.detail": T(en="Detail", id="Rincian"),
    "report.agencies": T(
        en="Responsible agencies (OPD)", id="Perangkat daerah (OPD) penanggung jawab"
    ),
    "report.agency": T(en="Agency", id="OPD"),
    "report.no_agency": T(en="(no agency)", id="(tanpa OPD)"),
    "report.indicator": T(en="Indicator", id="Indikator"),
    "report.points": T(en="Points", id="Poin"),
    "report.maximum": T(en="Max.", id="Maks."),
    "report.short": T(en="Missing", id="Kekurangan"),
    "report.subtotal": T(en="Total", id="Jumlah"),
    "report.explanation": T(en="How every number arose", id="Rincian perhitungan"),
    "report.sources": T(en="Sources", id="Sumber"),
    "report.basis": T(en="Basis of the numbers", id="Dasar angka"),
    "report.cited": T(en="cited", id="dirujuk"),
    "report.assumed_note": T(
        en="Numbers marked assumed do not come from the sources below.",
        id="Angka bertanda asumsi tidak berasal dari sumber di bawah ini.",
    ),
    "report.edition": T(en="edition", id="edisi"),
    "report.footer": T(
        en="Made with indikator. Scores computed from the data given.",
        id="Dibuat dengan indikator. Nilai dihitung dari data yang diberikan.",
    ),
    # explain
    "explain.tier": T(en="tier", id="predikat"),
    "explain.no_tier": T(en="no tier", id="tidak berpredikat"),
    "explain.missing": T(en="missing", id="kosong"),
    "explain.excluded": T(
        en="missing, left out and the group renormalised",
        id="kosong, tidak dihitung dan kelompok dinormalkan ulang",
    ),
    "explain.zero": T(en="missing, scored 0", id="kosong, bernilai 0"),
    "explain.band": T(en="band", id="rentang"),
    "explain.gate_ok": T(en="requirement met", id="syarat terpenuhi"),
    "explain.gate_fail": T(en="requirement NOT met", id="syarat TIDAK terpenuhi"),
    "explain.capped": T(
        en="capped by a requirement: the score alone reaches",
        id="dibatasi oleh syarat: nilai saja mencapai",
    ),
    "explain.next": T(
        en="to reach {tier}: {points} more points", id="untuk mencapai {tier}: kurang {points} poin"
    ),
    "explain.next_gate": T(en="and meet: {gate}", id="dan penuhi: {gate}"),
    "explain.next_only_gate": T(
        en="to reach {tier}: meet {gate}", id="untuk mencapai {tier}: penuhi {gate}"
    ),
    "explain.weight": T(en="weight", id="bobot"),
    "explain.of": T(en="of", id="dari"),
    "explain.value": T(en="value", id="nilai"),
    "explain.agency": T(en="agency", id="OPD"),
    "explain.incomplete": T(
        en="score incomplete: no tier", id="nilai belum lengkap: tanpa predikat"
    ),
    "explain.top": T(en="highest tier reached", id="predikat tertinggi tercapai"),
    "explain.last_year": T(en="last year", id="tahun lalu"),
    "explain.not_met": T(en="not met", id="belum terpenuhi"),
    "explain.yes": T(en="yes", id="ya"),
    "explain.no": T(en="no", id="tidak"),
    # sensitivity
    "sensitivity.report.head": T(
        en=(
            "Sensitivity analysis: {draws} draws ({used} used, {left} broke the ruleset's"
            " structure), seed {seed}; {params} assumed parameters drawn uniformly in their"
            " plausible ranges, every other number fixed."
        ),
        id=(
            "Analisis sensitivitas: {draws} undian ({used} dipakai, {left} melanggar struktur"
            " ruleset), benih {seed}; {params} parameter asumsi diundi seragam dalam rentang"
            " wajarnya, angka lain tetap."
        ),
    ),
    "sensitivity.report.whole": T(
        en=(
            "{change} of {total} regions could change tier; {fragile} fragile (the assumed"
            " tier holds in less than {at} of the draws)."
        ),
        id=(
            "{change} dari {total} wilayah dapat berpindah predikat; {fragile} rapuh"
            " (predikat asumsi bertahan di kurang dari {at} undian)."
        ),
    ),
    "sensitivity.report.nothing": T(
        en=(
            "No assumed parameter has a plausible range (`within`): nothing is drawn, so how"
            " sure the tiers are cannot be measured."
        ),
        id=(
            "Tidak ada parameter asumsi dengan rentang wajar (`within`): tidak ada yang"
            " diundi, sehingga kepastian predikat tidak dapat diukur."
        ),
    ),
    "sensitivity.report.failed": T(
        en=(
            "{failed} more draws were not used because their evaluation failed for this data"
            " (for example a division by zero)."
        ),
        id=(
            "{failed} undian lain tidak dipakai karena perhitungannya gagal untuk data ini"
            " (misalnya pembagian dengan nol)."
        ),
    ),
    "sensitivity.report.none_used": T(
        en="No draw could be used: nothing can be concluded.",
        id="Tidak ada undian yang dapat dipakai: tidak ada yang dapat disimpulkan.",
    ),
    "sensitivity.column.region": T(en="region", id="wilayah"),
    "sensitivity.column.name": T(en="name", id="nama"),
    "sensitivity.column.assumed_tier": T(en="assumed tier", id="predikat asumsi"),
    "sensitivity.column.score": T(en="score", id="nilai"),
    "sensitivity.column.sure": T(en="sure", id="yakin"),
    "sensitivity.column.verdict": T(en="verdict", id="putusan"),
    "sensitivity.column.likeliest_other": T(en="likeliest other", id="kemungkinan lain"),
    "sensitivity.column.influential": T(
        en="most influential parameters (rank correlation)",
        id="parameter paling berpengaruh (korelasi peringkat)",
    ),
    "sensitivity.report.robust": T(en="robust", id="kokoh"),
    "sensitivity.report.no_score": T(en="no score", id="tanpa nilai"),
    "sensitivity.report.fragile": T(en="fragile", id="rapuh"),
    "sensitivity.parameter_column.parameter": T(en="parameter", id="parameter"),
    "sensitivity.parameter_column.low": T(en="low", id="batas bawah"),
    "sensitivity.parameter_column.high": T(en="high", id="batas atas"),
    "sensitivity.parameter_column.assumed_value": T(en="assumed value", id="nilai asumsi"),
    "sensitivity.parameter_column.reason": T(en="reason", id="alasan"),
    "sensitivity.parameter_column.mean_rank_correlation": T(
        en="mean |rank correlation|", id="rata-rata |korelasi peringkat|"
    ),
    "sensitivity.parameter_column.mean_first_order_index": T(
        en="mean first-order index", id="rata-rata indeks orde pertama"
    ),
    "report.sensitivity": T(
        en="How sure is each tier? (sensitivity analysis)",
        id="Seberapa pasti predikatnya? (analisis sensitivitas)",
    ),
    # an input's yes/no value as analyses show it
    "value.yes": T(en="yes", id="ya"),
    "value.no": T(en="no", id="tidak"),
}

#: The HTML report's charts, roll-ups, ranks, requirement details and sources.
_REPORT2 = {
    "report.all_regions": T(en="All regions", id="Semua wilayah"),
    "report.share": T(en="Share", id="Persentase"),
    "report.distribution": T(en="Regions per tier", id="Jumlah wilayah per predikat"),
    "report.tiers_per": T(en="Tiers per", id="Predikat per"),
    "report.gain": T(en="Gain on the total", id="Tambahan nilai total"),
    "report.last_year": T(en="last year", id="tahun lalu"),
    "report.is_met": T(en="met", id="terpenuhi"),
    "report.all_met": T(en="every indicator met", id="semua indikator terpenuhi"),
    "report.not_met": T(en="not met", id="belum terpenuhi"),
    "report.and": T(en="and", id="dan"),
    "report.or": T(en="or", id="atau"),
    "report.not": T(en="not", id="bukan"),
    "report.min": T(en="lowest of", id="terendah dari"),
    "report.max": T(en="highest of", id="tertinggi dari"),
    "report.values": T(en="values", id="nilai"),
    "report.documents": T(en="Source documents", id="Dokumen sumber"),
    "report.tiers": T(en="the tiers", id="predikat"),
    "report.definition": T(en="Definition", id="Definisi"),
    "report.value": T(en="Value", id="Nilai"),
    "report.range": T(en="Plausible range", id="Rentang wajar"),
    "report.reason": T(en="Reason", id="Alasan"),
    "report.used_in": T(en="used in", id="dipakai di"),
}

#: Values to reach (`next`): steps per input, the cheapest path, the rank gap (`targets`),
#: and the score changes inside a tier (`compare`).
_ADVICE_STEPS = {
    "steps.by_agency": T(
        en="Values to reach, per agency (points per unit of change):",
        id="Nilai yang perlu dicapai, per OPD (poin per satuan perubahan):",
    ),
    "steps.on_path": T(en="on the path", id="di jalur"),
    "steps.per_unit": T(en="per unit", id="per satuan"),
    "steps.stuck": T(
        en="Not raised by changing one input alone:",
        id="Tidak naik dengan mengubah satu masukan saja:",
    ),
    "steps.path": T(
        en="Cheapest path to {tier}: {size} step(s), score then {score} (re-evaluated):",
        id="Jalur termurah ke {tier}: {size} langkah, nilai menjadi {score} (dihitung ulang):",
    ),
    "steps.alternatives": T(
        en="{count} other combination(s) of as many steps also reach it",
        id="{count} kombinasi lain dengan jumlah langkah yang sama juga mencapainya",
    ),
    "steps.path_unreachable": T(
        en="{tier} cannot be reached by these steps: with every input at its farthest step"
        " the score is {best}",
        id="{tier} tidak tercapai dengan langkah-langkah ini: dengan setiap masukan pada"
        " langkah terjauhnya nilainya {best}",
    ),
    "steps.path_too_many": T(
        en="{tier} needs more steps at once than --max-size allows (score at best {best})",
        id="{tier} memerlukan lebih banyak langkah sekaligus daripada batas --max-size"
        " (nilai paling tinggi {best})",
    ),
    "steps.path_limited": T(
        en="No path to {tier} among the combinations tried: the search was limited"
        " (score at best {best})",
        id="Tidak ada jalur ke {tier} di antara kombinasi yang diperiksa: pencarian dibatasi"
        " (nilai paling tinggi {best})",
    ),
    "steps.blocked": T(
        en="a requirement no single input meets:",
        id="syarat yang tidak terpenuhi lewat satu masukan mana pun:",
    ),
    "steps.within": T(en="within", id="dalam"),
    "compare.shifted": T(
        en="Same tier, score moved by {size} or more:",
        id="Predikat tetap, nilai berubah {size} poin atau lebih:",
    ),
    "compare.shifted_any": T(en="Same tier, score moved:", id="Predikat tetap, nilai berubah:"),
    "help.min_change": T(
        en="list regions that kept their tier but whose score moved by at least this much"
        " (0: every change)",
        id="tampilkan wilayah yang predikatnya tetap tetapi nilainya berubah paling sedikit"
        " sebesar ini (0: setiap perubahan)",
    ),
    "steps.rank_first": T(en="already first", id="sudah teratas"),
    "steps.rank_gap": T(
        en="{ahead} (rank {position}) is {gap} points of {key} ahead",
        id="{ahead} (peringkat {position}) unggul {gap} poin {key}",
    ),
}

#: `next` re-checked adversarially: a path no single input's steps can find.
_ADVNEXT = {
    "advice.uncounted": T(
        en="The indicators counted do not close the gap even at their maximum; those not"
        " counted (below) may",
        id="Indikator yang dihitung tidak menutup selisih walaupun mencapai nilai maksimum;"
        " indikator yang tidak dihitung (di bawah) mungkin menutupnya",
    ),
    "steps.limited_found": T(
        en="the search was cut (too many combinations): a shorter path, or one with less"
        " change, may exist",
        id="pencarian dipotong (terlalu banyak kombinasi): mungkin ada jalur yang lebih"
        " pendek atau dengan perubahan lebih kecil",
    ),
    "steps.compared": T(
        en="the least change among the {count} of {total} combinations compared after"
        " cutting their steps back (those with the least change before)",
        id="perubahan terkecil di antara {count} dari {total} kombinasi yang dibandingkan"
        " setelah langkahnya dipangkas (yang perubahannya paling kecil sebelumnya)",
    ),
    "steps.path_joint": T(
        en="No path to {tier} found (score at best {best}); changing several inputs at once"
        " was searched only from the steps of each alone, and {joint} read(s) several inputs",
        id="Tidak ditemukan jalur ke {tier} (nilai paling tinggi {best}); mengubah beberapa"
        " masukan sekaligus hanya diperiksa dari langkah tiap masukan, dan {joint} membaca"
        " beberapa masukan",
    ),
}

# -- reading what analysts have, and the templates they fill (issue 14, items 1-2) ------
_SHEETS_IN: Mapping[str, Template] = {
    "sheets.previous": T(en="previous period", id="periode sebelumnya"),
    "sheets.how_read": T(en="how '{path}' was read:", id="cara '{path}' dibaca:"),
    "sheets.in_sheet": T(en="sheet '{sheet}'", id="lembar '{sheet}'"),
    "sheets.header_at": T(en="header on row {first}", id="judul kolom di baris {first}"),
    "sheets.header_two": T(
        en="header on rows {first}-{last} (labels above ids)",
        id="judul kolom di baris {first}-{last} (label di atas id)",
    ),
    "sheets.above": T(
        en="; title rows above it skipped: {skipped}",
        id="; {skipped} baris di atasnya dilewati (judul)",
    ),
    "sheets.by_label": T(
        en="{count} columns matched by label, not id: {shown}",
        id="{count} kolom dicocokkan lewat label, bukan id: {shown}",
    ),
    "sheets.and_more": T(en=", and {count} more", id=", dan {count} lainnya"),
    "sheets.merged": T(
        en="sheets {sheets} merged by region id '{column}'",
        id="lembar {sheets} digabung menurut kode wilayah '{column}'",
    ),
    "sheets.skipped": T(
        en="sheets naming no input left out: {sheets}",
        id="lembar tanpa kolom masukan tidak dibaca: {sheets}",
    ),
    "sheets.option_labels": T(
        en="column '{column}': {count} cells written as a label read as the option id"
        " (e.g. '{text}' -> '{id}')",
        id="kolom '{column}': {count} sel yang ditulis sebagai label dibaca sebagai id pilihan"
        " (mis. '{text}' -> '{id}')",
    ),
    "sheets.template_locale": T(
        en="numbers in text read in the notation the template declares ('{locale}': 1.000,5)",
        id="angka dalam teks dibaca dengan penulisan yang dinyatakan templat ('{locale}': 1.000,5)",
    ),
    "sheets.region_row": T(en="region {region}", id="wilayah {region}"),
    "sheets.no_header_row": T(
        en="{where}: row {row} is blank or missing, so it cannot be the header row",
        id="{where}: baris {row} kosong atau tidak ada, jadi tidak bisa menjadi baris judul kolom",
    ),
    "sheets.header_row_format": T(
        en="'{path}': --header-row applies to CSV files and workbooks only",
        id="'{path}': --header-row hanya berlaku untuk berkas CSV dan buku kerja",
    ),
    "sheets.label_ambiguous": T(
        en="{where}: the header '{text}' of column {column} matches several inputs ({inputs});"
        " write the input id in row {row} instead",
        id="{where}: judul '{text}' di kolom {column} cocok dengan beberapa masukan ({inputs});"
        " tulis id masukan di baris {row}",
    ),
    "sheets.column_ambiguous": T(
        en="{where}: two columns match input '{input}': {first} and {second}; delete or rename"
        " one of them",
        id="{where}: dua kolom cocok dengan masukan '{input}': {first} dan {second}; hapus atau"
        " ganti nama salah satunya",
    ),
    "sheets.unnamed": T(
        en="{where}: {count} columns hold values but have no name in header row {row}: {shown};"
        " is the header on another row? give --header-row N",
        id="{where}: {count} kolom berisi nilai tetapi tidak bernama di baris judul {row}:"
        " {shown}; apakah judul kolom ada di baris lain? gunakan --header-row N",
    ),
    "sheets.none_read": T(
        en="'{path}': no sheet names an input of the ruleset",
        id="'{path}': tidak ada lembar yang memuat kolom masukan ruleset",
    ),
    "sheets.merge_needs_region": T(
        en="'{path}': sheets are merged by region id, which needs a ruleset that declares one",
        id="'{path}': lembar digabung menurut kode wilayah, jadi perlu ruleset yang menyatakannya",
    ),
    "sheets.no_region_column": T(
        en="{where} has no region id column '{column}', so it cannot be merged",
        id="{where} tidak memiliki kolom kode wilayah '{column}', jadi tidak bisa digabung",
    ),
    "sheets.region_ids": T(
        en="{where}: rows without a region id in '{column}', or an id given twice; each row of"
        " a merged sheet needs its own id",
        id="{where}: ada baris tanpa kode wilayah di '{column}', atau kode yang muncul dua kali;"
        " setiap baris lembar yang digabung memerlukan kodenya sendiri",
    ),
    "sheets.disagree": T(
        en="'{path}': sheets '{first}' and '{second}' give different values of '{column}' for"
        " {count} regions; keep one value in one sheet",
        id="'{path}': lembar '{first}' dan '{second}' memberi nilai '{column}' yang berbeda"
        " untuk {count} wilayah; simpan satu nilai di satu lembar",
    ),
    "data.missing_columns": T(
        en="{count} columns are missing: {shown}",
        id="{count} kolom tidak ada: {shown}",
    ),
    "data.extra_columns": T(
        en="{count} columns are not inputs of the ruleset: {shown}; a title row read as the"
        " header? (pass extra='ignore' to allow them)",
        id="{count} kolom bukan masukan ruleset: {shown}; baris judul terbaca sebagai judul"
        " kolom? (berikan extra='ignore' untuk mengizinkannya)",
    ),
    "cli.extra_columns": T(
        en="{count} columns are not inputs of the ruleset: {shown}; a title row read as the"
        " header? give --header-row N, or --ignore-extra to allow them",
        id="{count} kolom tidak dikenal: {shown}; baris judul terbaca sebagai judul kolom?"
        " gunakan --header-row N, atau --ignore-extra untuk mengizinkannya",
    ),
    "help.sheets": T(
        en="A sheet of an .xlsx DATA file (default: the first one shown); repeat it, or give"
        " 'all', to merge several sheets by region id.",
        id="Lembar berkas DATA .xlsx (bawaan: lembar pertama yang tampil); ulangi, atau beri"
        " 'all', untuk menggabungkan beberapa lembar menurut kode wilayah.",
    ),
    "help.header_row": T(
        en="The row of DATA that holds the column names (default: found below title rows).",
        id="Baris DATA yang memuat judul kolom (bawaan: dicari di bawah baris judul).",
    ),
    "help.command.template": T(
        en="Write an input template for RULESET to fill in (-o isian.xlsx or .csv).",
        id="Tulis templat isian untuk RULESET (-o isian.xlsx atau .csv).",
    ),
    "help.by_agency": T(
        en="One sheet per agency (OPD), each with the region columns.",
        id="Satu lembar per OPD, masing-masing dengan kolom wilayah.",
    ),
    "help.template_output": T(
        en="The template file to write (.xlsx or .csv).",
        id="Berkas templat yang ditulis (.xlsx atau .csv).",
    ),
    "template.extension": T(
        en="'{path}': a template is an .xlsx or .csv file",
        id="'{path}': templat berupa berkas .xlsx atau .csv",
    ),
    "template.by_agency_csv": T(
        en="'{path}': a CSV file has one sheet; write an .xlsx template for one sheet per agency",
        id="'{path}': berkas CSV hanya satu lembar; tulis templat .xlsx untuk satu lembar per OPD",
    ),
    "template.no_agency": T(en="(no agency)", id="(tanpa OPD)"),
    "template.region_band": T(en="Region", id="Wilayah"),
    "template.sheet_data": T(en="Data entry", id="Isian"),
    "template.sheet_help": T(en="Instructions", id="Petunjuk"),
    "template.sheet_sources": T(en="Sources", id="Sumber"),
    "template.title": T(en="Input template: {ruleset}", id="Templat isian: {ruleset}"),
    "template.invalid": T(
        en="This value is not allowed here; see the comment on the column's label (row 2).",
        id="Nilai ini tidak diperbolehkan; lihat komentar pada label kolom (baris 2).",
    ),
    "template.invalid_title": T(en="Value not allowed", id="Nilai tidak sah"),
    "template.kind.number": T(en="a number", id="angka"),
    "template.kind.count": T(en="a whole number", id="bilangan bulat"),
    "template.kind.percent": T(
        en="a percentage (type 81.5 for 81.5 %)", id="persen (ketik 81,5 untuk 81,5 %)"
    ),
    "template.kind.yesno": T(en="Yes or No", id="Ya atau Tidak"),
    "template.kind.checklist": T(
        en="Yes or No (a checklist item)", id="Ya atau Tidak (butir daftar periksa)"
    ),
    "template.kind.option": T(en="one of the listed options", id="salah satu pilihan"),
    "template.kind.text": T(en="text", id="teks"),
    "template.range": T(en="from {low} to {high}", id="dari {low} sampai {high}"),
    "template.agency": T(en="agency: {agency}", id="OPD: {agency}"),
    "template.cites": T(en="source: {sources}", id="sumber: {sources}"),
    "template.step.one": T(
        en="1. Fill one row per region from row {first}: the region code first, then its name.",
        id="1. Isi satu baris per wilayah mulai baris {first}: kode wilayah dulu, lalu namanya.",
    ),
    "template.step.header": T(
        en="2. Rows 1-3 are locked: the agency, the label with its unit, and the input id."
        " Do not change them.",
        id="2. Baris 1-3 terkunci: OPD, label dengan satuannya, dan id masukan. Jangan diubah.",
    ),
    "template.step.choices": T(
        en="3. Options and Yes/No: choose from the dropdown list.",
        id="3. Pilihan dan Ya/Tidak: pilih dari daftar pilihan (dropdown).",
    ),
    "template.step.numbers": T(
        en="4. Numbers: type them as Excel shows numbers; percentages as 81.5 (the cell adds"
        " the %).",
        id="4. Angka: ketik seperti Excel menampilkan angka; persen sebagai 81,5 (sel menambah"
        " tanda %).",
    ),
    "template.step.empty": T(
        en="5. Leave a cell empty when there is no data; the ruleset says what an empty cell"
        " counts as.",
        id="5. Biarkan sel kosong bila data belum ada; ruleset menentukan arti sel kosong.",
    ),
    "template.step.comments": T(
        en="6. The comment on each label (row 2) says what to enter, the range and the source.",
        id="6. Komentar pada setiap label (baris 2) menjelaskan isian, rentang, dan sumbernya.",
    ),
    "template.step.run": T(
        en="7. Then run: `indikator evaluate RULESET this-file.xlsx`",
        id="7. Lalu jalankan: `indikator evaluate RULESET berkas-ini.xlsx`",
    ),
    "template.col.id": T(en="input id", id="id masukan"),
    "template.col.label": T(en="label", id="label"),
    "template.col.unit": T(en="unit", id="satuan"),
    "template.col.kind": T(en="what to enter", id="isian"),
    "template.col.agency": T(en="agency", id="OPD"),
    "template.col.note": T(en="note", id="catatan"),
    "template.src.id": T(en="source id", id="id sumber"),
    "template.src.title": T(en="title", id="judul"),
    "template.src.issuer": T(en="issuer", id="penerbit"),
    "template.src.number": T(en="number", id="nomor"),
    "template.src.date": T(en="date", id="tanggal"),
    "template.src.url": T(en="address", id="alamat"),
    "template.assumed_head": T(
        en="What vouches for each scoring number (cited or assumed)",
        id="Dasar setiap angka penilaian (dikutip atau asumsi)",
    ),
}

#: The results workbook, ranks and rollups on the terminal, `list`, `--show`, `--rollups`.
_SHEETS_OUT = {
    "sheets.column.region": T(en="Region code", id="Kode wilayah"),
    "sheets.column.name": T(en="Name", id="Nama"),
    "sheets.column.met": T(en="met", id="terpenuhi"),
    "sheets.column.tier": T(en="Tier", id="Predikat"),
    "sheets.column.within": T(en="Ranked within", id="Peringkat di dalam"),
    "sheets.column.of": T(en="Regions ranked", id="Jumlah wilayah diperingkat"),
    "sheets.column.no_agency": T(en="(no agency)", id="(tanpa OPD)"),
    "sheets.items_met": T(en="items met, of {count}", id="butir terpenuhi, dari {count}"),
    "sheets.agency_of": T(
        en="points not earned, of {maximum}", id="poin belum diraih, dari {maximum}"
    ),
    "sheets.record.item": T(en="Item", id="Butir"),
    "sheets.record.value": T(en="Value", id="Nilai"),
    "sheets.record.ruleset": T(en="Ruleset (edition)", id="Ruleset (edisi)"),
    "sheets.record.ruleset_file": T(en="Ruleset file", id="Berkas ruleset"),
    "sheets.record.ruleset_sha256": T(en="Ruleset file SHA-256", id="SHA-256 berkas ruleset"),
    "sheets.record.imported_file": T(en="Imported file", id="Berkas yang diimpor"),
    "sheets.record.data_file": T(en="Data file", id="Berkas data"),
    "sheets.record.data_sha256": T(en="Data file SHA-256", id="SHA-256 berkas data"),
    "sheets.record.sheet": T(en="Data sheet", id="Lembar data"),
    "sheets.record.regions": T(en="Regions evaluated", id="Jumlah wilayah dinilai"),
    "sheets.record.params_file": T(en="Parameter file", id="Berkas parameter"),
    "sheets.record.params_sha256": T(en="Parameter file SHA-256", id="SHA-256 berkas parameter"),
    "sheets.record.param": T(en="Parameter", id="Parameter"),
    "sheets.record.version": T(en="indikator version", id="Versi indikator"),
    "sheets.record.time": T(en="Time of the run (UTC)", id="Waktu penilaian (UTC)"),
    "sheets.record.lang": T(en="Language", id="Bahasa"),
    "sheets.rank_of": T(en="{rank} of {size}", id="{rank} dari {size}"),
    "sheets.rank_of_in": T(en="{rank} of {size} in {group}", id="{rank} dari {size} di {group}"),
    "sheets.rollup_title": T(en="{label} ({name})", id="{label} ({name})"),
    "sheets.show_unknown": T(
        en="--show: no column '{name}'; the columns are {known}",
        id="--show: tidak ada kolom '{name}'; kolom yang ada: {known}",
    ),
    "sheets.show_unknown_close": T(
        en="--show: no column '{name}'; did you mean '{close}'?",
        id="--show: tidak ada kolom '{name}'; maksud Anda '{close}'?",
    ),
    "sheets.no_rollups": T(
        en="--rollups: the ruleset declares no rollup",
        id="--rollups: ruleset ini tidak mendeklarasikan rekap (rollup)",
    ),
    "sheets.list_latest": T(
        en="(latest edition: also named '{scheme}')", id="(edisi terbaru: juga bernama '{scheme}')"
    ),
    "sheets.list_sources": T(en="sources", id="sumber"),
    "help.command.list": T(
        en="List the rulesets that ship with indikator: name, edition, title and sources. "
        "RULESET may be such a name ('kla', 'kks@2021').",
        id="Daftar ruleset bawaan indikator: nama, edisi, judul, dan sumber. RULESET boleh "
        "berupa nama ini ('kla', 'kks@2021').",
    ),
    "help.show": T(
        en="Columns shown in the terminal, comma-separated ids (default: name, the score, "
        "tier and ranks), e.g. --show total,klaster_1",
        id="Kolom yang ditampilkan di terminal, id dipisah koma (bawaan: nama, skor, "
        "predikat, dan peringkat), mis. --show total,klaster_1",
    ),
    "help.rollups": T(
        en="Also write the ruleset's rollups (e.g. per province) to FILE: .csv, .xlsx, "
        ".parquet or .json",
        id="Tulis juga rekap ruleset (mis. per provinsi) ke FILE: .csv, .xlsx, .parquet, "
        "atau .json",
    ),
}

# Issue 17, language frictions: constant expressions, equal weights, `extends`.
_FRICTION = {
    "friction.evaluate_warnings": T(
        en="note: the ruleset has {count} warning(s) from the checker ({codes});"
        " `indikator check {ruleset}` shows them",
        id="catatan: ruleset ini memiliki {count} peringatan pemeriksa ({codes});"
        " `indikator check {ruleset}` menampilkannya",
    ),
    "friction.ok_warned": T(
        en="{file}: no errors, {warnings} warning(s) ({definitions} definitions, {inputs} inputs)",
        id="{file}: tidak ada kesalahan, {warnings} peringatan ({definitions} definisi, "
        "{inputs} masukan)",
    ),
    "friction.ok_catalogue_warned": T(
        en="{file}: no errors, {warnings} warning(s), a catalogue to import ({definitions} "
        "definitions, {inputs} inputs)",
        id="{file}: tidak ada kesalahan, {warnings} peringatan, katalog untuk diimpor "
        "({definitions} definisi, {inputs} masukan)",
    ),
    "friction.after_overrides": T(
        en="with the parameter overrides {overrides}",
        id="dengan parameter yang diganti {overrides}",
    ),
    "friction.after_overrides_file": T(
        en="with the parameter overrides from '{file}': {overrides}",
        id="dengan parameter yang diganti dari '{file}': {overrides}",
    ),
    "friction.replaces_nothing": T(
        en="'{name}' replaces nothing: the base '{base}' has no definition of that name",
        id="'{name}' tidak menggantikan apa pun: dasar '{base}' tidak punya definisi bernama itu",
    ),
    "friction.hint_mark_new": T(
        en="to add a definition the base lacks, mark it new: `new {kind} {name}`",
        id="untuk menambah definisi yang tidak ada di dasar, tandai dengan new: "
        "`new {kind} {name}`",
    ),
    "friction.new_but_inherited": T(
        en="'{name}' is marked new, but the base '{base}' defines it",
        id="'{name}' ditandai new, padahal dasar '{base}' sudah mendefinisikannya",
    ),
    "friction.hint_new_but_inherited": T(
        en="remove `new` to replace the base's definition, or choose another name",
        id="hapus `new` untuk menggantikan definisi dasar, atau pilih nama lain",
    ),
    "friction.base_defines": T(en="defined in the base here", id="didefinisikan di dasar di sini"),
    "friction.weights_total": T(
        en="the weights of '{group}' add up to {total}, expected {expected} (off by {difference})",
        id="jumlah bobot '{group}' adalah {total}, seharusnya {expected} (selisih {difference})",
    ),
    "friction.hint_weights_total": T(
        en="equal shares: write each weight as 100 / {count}, or use mean(...); a sum within "
        "{count} times 0.0000000005 of 100 is accepted",
        id="bobot sama rata: tulis setiap bobot sebagai 100 / {count}, atau gunakan mean(...); "
        "jumlah yang selisihnya paling banyak {count} kali 0,0000000005 dari 100 diterima",
    ),
    "friction.divides_by_zero": T(
        en="this divisor is zero, so the constant has no value",
        id="pembagi ini bernilai nol, sehingga konstanta tidak bernilai",
    ),
    "friction.hint_divides_by_zero": T(
        en="check the parameter's value (and any --params override) or the number written",
        id="periksa nilai parameter (dan penggantinya lewat --params) atau angka yang ditulis",
    ),
}

# Reading data files and filled templates: problems found by adversarial reading.
_ADVREAD: Mapping[str, Template] = {
    "advread.merged_cells": T(
        en="{where}: {count} ranges of merged cells below the header: {shown}; only the first"
        " cell of a range holds its value ({first} of {example}), the others would read as"
        " empty; unmerge them and type the value in every cell",
        id="{where}: {count} rentang sel digabung (merge) di bawah judul kolom: {shown}; hanya"
        " sel pertama sebuah rentang yang berisi nilai ({first} dari {example}), sel lainnya"
        " akan terbaca kosong; pisahkan (unmerge) dan isi nilainya di setiap sel",
    ),
    "advread.header_rows_disagree": T(
        en="{where}: the header rows {first}-{last} of column {column} name two inputs:"
        " '{text}' is '{other}', but the column is also named '{name}'; correct the label or"
        " the id so that both name one input",
        id="{where}: baris judul {first}-{last} kolom {column} menyebut dua masukan: '{text}'"
        " adalah '{other}', tetapi kolom itu juga bernama '{name}'; perbaiki label atau idnya"
        " agar keduanya menyebut satu masukan",
    ),
    "advread.hidden_sheets": T(
        en="hidden sheets not read: {sheets} (name one with --sheet to read it)",
        id="lembar tersembunyi tidak dibaca: {sheets} (sebut dengan --sheet untuk membacanya)",
    ),
    "advread.header_percent": T(
        en="{where}: the header '{text}' of column {column} says %, but the input it names,"
        " '{input}', is not a percentage ({kind}); check the column holds what '{input}'"
        " asks, then write its id '{input}' as the header",
        id="{where}: judul '{text}' kolom {column} menyebut %, tetapi masukan yang dimaksud,"
        " '{input}', bukan persentase ({kind}); periksa bahwa kolom itu berisi isian"
        " '{input}', lalu tulis id '{input}' sebagai judulnya",
    ),
    "advread.error_cells": T(
        en="{where}: {count} cells below the header hold an Excel error, not a value: {shown};"
        " correct the formula (or the data it reads), or clear the cell",
        id="{where}: {count} sel di bawah judul kolom berisi galat Excel, bukan nilai:"
        " {shown}; perbaiki rumusnya (atau data yang dibacanya), atau kosongkan selnya",
    ),
    "advread.header_row_elsewhere": T(
        en="{where}: the header row {row} (--header-row) names no input of the ruleset, but"
        " row {found} does; give --header-row {found}, or leave it out",
        id="{where}: baris judul kolom {row} (--header-row) tidak menyebut satu pun masukan"
        " ruleset, tetapi baris {found} menyebutnya; berikan --header-row {found}, atau"
        " hilangkan opsi itu",
    ),
    "advread.ambiguous_comma": T(
        en="column '{column}' has {count} value(s) such as '{example}' that read differently"
        " by notation: in English notation commas group thousands ('1,000' is one thousand),"
        " in Indonesian a comma is the decimal point (one). Declare the notation: --locale en"
        " (Python: locale='en') if commas group thousands, --locale id if they are decimal"
        " commas",
        id="kolom '{column}' memuat {count} nilai seperti '{example}' yang maknanya bergantung"
        " pada penulisan angka: dalam penulisan Inggris koma memisahkan ribuan ('1,000'"
        " berarti seribu), dalam penulisan Indonesia koma adalah desimal (satu). Nyatakan"
        " penulisannya: --locale en (Python: locale='en') bila koma memisahkan ribuan,"
        " --locale id bila koma adalah desimal",
    ),
    "advread.fractions": T(
        en="column '{column}': every value lies between 0 and 1, read as percentages (0.85"
        " is 0.85 %); if they are fractions (0.85 meaning 85 %), format the cells as"
        " Percentage or multiply them by 100",
        id="kolom '{column}': semua nilainya antara 0 dan 1, dibaca sebagai persen (0,85"
        " berarti 0,85 %); bila itu pecahan (0,85 maksudnya 85 %), format selnya sebagai"
        " Persentase atau kalikan 100",
    ),
    "advread.only_in": T(en="{region} (only in {sheets})", id="{region} (hanya di {sheets})"),
    "advread.not_in": T(en="{region} (not in {sheets})", id="{region} (tidak ada di {sheets})"),
    "advread.region_not_in_sheet": T(
        en="'{path}': {count} regions are not in every merged sheet (a mistyped id?); each"
        " sheet must list the same regions: correct the id, or add a row with it (its other"
        " cells may stay empty)",
        id="'{path}': {count} wilayah tidak ada di setiap lembar yang digabung (kode salah"
        " ketik?); setiap lembar harus memuat wilayah yang sama: perbaiki kodenya, atau"
        " tambahkan baris berisi kode itu (sel lainnya boleh kosong)",
    ),
}

_LSP = {
    # The language server (`indikator lsp`, indikator.lsp).
    "help.command.lsp": T(
        en=(
            "Run the language server for rulesets on standard input and output, for an"
            ' editor.\n\nNeeds pygls: pip install "indikator[lsp]".'
        ),
        id=(
            "Menjalankan server bahasa untuk ruleset lewat masukan dan keluaran standar,"
            ' untuk editor.\n\nMemerlukan pygls: pip install "indikator[lsp]".'
        ),
    ),
    "lsp.unavailable": T(
        en='the language server needs pygls: pip install "indikator[lsp]"',
        id='server bahasa memerlukan pygls: pip install "indikator[lsp]"',
    ),
    "lsp.internal": T(
        en="the check stopped on an internal error ({reason}); please report it",
        id="pemeriksaan terhenti karena kesalahan internal ({reason}); mohon laporkan",
    ),
    "lsp.elsewhere": T(en="in {place}: {message}", id="di {place}: {message}"),
    "lsp.fix_replace": T(en="replace with {name}", id="ganti dengan {name}"),
    "lsp.rename_invalid": T(
        en="'{name}' cannot name a definition: use lower-case letters, digits and '_',"
        " starting with a letter or '_', and not a keyword",
        id="'{name}' tidak dapat menjadi nama definisi: gunakan huruf kecil, angka dan '_',"
        " diawali huruf atau '_', dan bukan kata kunci",
    ),
    "lsp.rename_taken": T(
        en="'{name}' is already defined (seen from {file})",
        id="'{name}' sudah didefinisikan (terlihat dari {file})",
    ),
    "lsp.hover.file": T(en="defined in {file}", id="didefinisikan di {file}"),
    "lsp.hover.bands": T(en="bands:", id="rentang:"),
    "lsp.hover.value": T(en="value: {value}", id="nilai: {value}"),
    "lsp.hover.type": T(en="type: {value}", id="jenis: {value}"),
    "lsp.hover.unit": T(en="unit: {value}", id="satuan: {value}"),
    "lsp.hover.agency": T(en="agency: {value}", id="OPD: {value}"),
    "lsp.hover.source": T(en="source: {value}", id="sumber: {value}"),
    "lsp.hover.assumed": T(en="assumed: {reason}", id="asumsi: {reason}"),
    "lsp.hover.range": T(en="range: {low} to {high}", id="rentang nilai: {low} sampai {high}"),
    "lsp.hover.maximum": T(en="maximum points: {value}", id="poin maksimum: {value}"),
    "lsp.hover.requires": T(en="requires {condition}", id="syarat: {condition}"),
}


# Issue 16: stages of the assessment season (`indikator stages`) and roll-ups by a column
# (`evaluate --by provinsi`).
_STAGES = {
    "byview.title": T(en="Per {by}", id="Per {by}"),
    "byview.closest_title": T(
        en="Closest to the next tier (points to its lower edge):",
        id="Paling dekat ke predikat berikutnya (poin sampai batas bawahnya):",
    ),
    "byview.gap": T(en="{region}: {gap} to {tier}", id="{region}: {gap} ke {tier}"),
    "byview.held": T(
        en="{region}: enough points for {tier}, a requirement is not met",
        id="{region}: poin cukup untuk {tier}, ada syarat yang belum terpenuhi",
    ),
    "byview.none": T(
        en="none (every region at the top tier or without a score)",
        id="tidak ada (semua wilayah di predikat teratas atau tanpa nilai)",
    ),
    "byview.column.count": T(en="regions", id="jumlah wilayah"),
    "byview.column.mean": T(en="mean score", id="rata-rata nilai"),
    "byview.column.share": T(en="share", id="porsi"),
    "byview.column.closest": T(en="closest to next tier", id="terdekat ke predikat berikutnya"),
    "byview.column.score": T(en="score", id="nilai"),
    "byview.column.rank": T(en="rank", id="peringkat"),
    "byview.column.next_tier": T(en="next tier", id="predikat berikutnya"),
    "byview.column.gap": T(en="points to next tier", id="poin ke predikat berikutnya"),
    "byview.column.held": T(en="held by a requirement", id="tertahan syarat"),
    "byview.empty_group": T(
        en="column '{column}' is empty for some regions: each region needs a group to be "
        "summarised by",
        id="kolom '{column}' kosong untuk beberapa wilayah: setiap wilayah perlu kelompok "
        "untuk diringkas",
    ),
    "byview.missing_column": T(
        en="'{file}' has no column '{column}' to group by; columns: {known}",
        id="'{file}' tidak punya kolom '{column}' untuk pengelompokan; kolom: {known}",
    ),
    "stages.no_column": T(
        en="'{file}' has no stage column '{column}' (name it with --stage-column); columns: "
        "{known}",
        id="'{file}' tidak punya kolom tahap '{column}' (sebutkan dengan --stage-column); "
        "kolom: {known}",
    ),
    "stages.empty_cell": T(
        en="'{file}': column '{column}' is empty in some rows; every row needs its stage",
        id="'{file}': kolom '{column}' kosong di beberapa baris; setiap baris perlu tahapnya",
    ),
    "stages.unknown": T(
        en="'{file}': stage '{stage}' is not declared; stages: {known} (declare others with "
        "--stages)",
        id="'{file}': tahap '{stage}' tidak dideklarasikan; tahap: {known} (deklarasikan yang "
        "lain dengan --stages)",
    ),
    "stages.unknown_close": T(
        en="'{file}': stage '{stage}' is not declared; did you mean '{close}'?",
        id="'{file}': tahap '{stage}' tidak dideklarasikan; maksudnya '{close}'?",
    ),
    "stages.region_missing": T(
        en="{file}: regions in stage '{stage}' are missing from stage '{other}'; every stage "
        "needs the same regions",
        id="{file}: wilayah pada tahap '{stage}' tidak ada pada tahap '{other}'; setiap tahap "
        "perlu wilayah yang sama",
    ),
    "stages.title": T(en="Stages: {stages}", id="Tahap: {stages}"),
    "stages.counts": T(
        en="{changed} region(s) changed, {down} moved down a tier, {up} moved up",
        id="{changed} wilayah berubah, {down} turun predikat, {up} naik predikat",
    ),
    "stages.agencies": T(
        en="Points on the score by agency (OPD) whose evidence changed:",
        id="Poin pada nilai menurut OPD yang buktinya berubah:",
    ),
    "stages.regions": T(en="Regions that changed:", id="Wilayah yang berubah:"),
    "stages.effect": T(en="on the score", id="pada nilai"),
    "stages.no_agency": T(en="(no agency)", id="(tanpa OPD)"),
    "stages.column.agency": T(en="agency (OPD)", id="OPD"),
    "stages.column.lost": T(en="points lost", id="poin hilang"),
    "stages.column.gained": T(en="points gained", id="poin bertambah"),
    "stages.column.changes": T(en="changes", id="perubahan"),
    "stages.column.regions": T(en="regions", id="wilayah"),
    "stages.sheet.scores": T(en="scores", id="nilai"),
    "stages.sheet.agencies": T(en="agencies", id="opd"),
    "stages.too_many_files": T(
        en="'{file}' has no stage column and there are only {count} stages to give it",
        id="'{file}' tidak punya kolom tahap dan hanya ada {count} tahap untuknya",
    ),
    "stages.twice": T(
        en="stage '{stage}' is given twice, in '{first}' and in '{second}'",
        id="tahap '{stage}' diberikan dua kali, di '{first}' dan di '{second}'",
    ),
    "byview.sheet": T(en="regions", id="wilayah"),
    "help.by": T(
        en="Summarise per value of COL (e.g. provinsi): regions, mean score, share per "
        "tier, ranks and the regions closest to the next tier; --rollups FILE writes it.",
        id="Ringkas per nilai COL (mis. provinsi): jumlah wilayah, rata-rata nilai, porsi "
        "per predikat, peringkat dan wilayah terdekat ke predikat berikutnya; --rollups FILE "
        "menuliskannya.",
    ),
    "help.command.stages": T(
        en="Score every stage of the season (mandiri, verifikasi_adm, verifikasi_lapangan, "
        "final) and show what each verification changed: points lost or gained per region, "
        "indicator and agency (OPD), and tier moves. DATA: one file with a stage column, or "
        "one file per stage in stage order.",
        id="Nilai setiap tahap penilaian (mandiri, verifikasi_adm, verifikasi_lapangan, final) "
        "dan tampilkan apa yang diubah setiap verifikasi: poin hilang atau bertambah per "
        "wilayah, indikator dan OPD, serta perpindahan predikat. DATA: satu berkas dengan "
        "kolom tahap, atau satu berkas per tahap menurut urutan tahap.",
    ),
    "help.stages": T(
        en="The stages' names in order, comma-separated (default: "
        "mandiri,verifikasi_adm,verifikasi_lapangan,final).",
        id="Nama tahap menurut urutan, dipisah koma (bawaan: "
        "mandiri,verifikasi_adm,verifikasi_lapangan,final).",
    ),
    "help.stage_column": T(
        en="The column that names each row's stage (default: tahap or stage).",
        id="Kolom yang menyebut tahap setiap baris (bawaan: tahap atau stage).",
    ),
    "help.stages_output": T(
        en="Write the changes to this file: .csv or .parquet (one row per region and "
        "indicator), .xlsx (with sheets of the scores per stage and the agencies) or .json.",
        id="Tulis perubahan ke berkas ini: .csv atau .parquet (satu baris per wilayah dan "
        "indikator), .xlsx (dengan lembar nilai per tahap dan OPD) atau .json.",
    ),
    "help.readiness_stage": T(
        en="Check only the rows of this stage of a season's DATA (a stage column, see "
        "`indikator stages`), e.g. verifikasi_lapangan.",
        id="Periksa hanya baris tahap ini dari DATA satu musim (kolom tahap, lihat "
        "`indikator stages`), mis. verifikasi_lapangan.",
    ),
    "stages.column_needs_stage": T(
        en="--stage-column needs --stage (the stage whose rows to check)",
        id="--stage-column memerlukan --stage (tahap yang barisnya diperiksa)",
    ),
    "help.report_stages": T(
        en="DATA carries stages (a stage column): the report shows the last stage and a "
        "section of what each verification changed.",
        id="DATA memuat tahap (kolom tahap): laporan menampilkan tahap terakhir dan bagian "
        "tentang apa yang diubah setiap verifikasi.",
    ),
    "stages.bad_names": T(
        en="--stages '{names}': give each stage's name once, comma-separated",
        id="--stages '{names}': sebutkan nama setiap tahap sekali, dipisah koma",
    ),
    "byview.missing_column_close": T(
        en="'{file}' has no column '{column}' to group by; did you mean '{close}'?",
        id="'{file}' tidak punya kolom '{column}' untuk pengelompokan; maksudnya '{close}'?",
    ),
    "byview.ranks_title": T(
        en="Ranks within each group (equal scores share a rank):",
        id="Peringkat dalam setiap kelompok (nilai sama berbagi peringkat):",
    ),
    "byview.gap_short": T(en="{gap} to {tier}", id="{gap} ke {tier}"),
    "byview.held_short": T(en="requirement of {tier}", id="syarat {tier}"),
}


#: Every message by key; `indikator.messages.Message` renders them.
# Several schemes on one table, and the shared data dictionary (`schemes`, `report_profile`).
_FACTS = {
    "facts.one_ruleset_options": T(
        en=(
            "--params, --show, --rollups, --by, --engine and --record apply to one ruleset;"
            " give one RULESET to use them"
        ),
        id=(
            "--params, --show, --rollups, --by, --engine dan --record berlaku untuk satu ruleset;"
            " berikan satu RULESET"
        ),
    ),
    "facts.report_one_ruleset_options": T(
        en=(
            "--params, --region, --sensitivity, --evidence, --as-of, --stages, --stage-column"
            ", --by and --record apply to one ruleset; give one RULESET to use them"
        ),
        id=(
            "--params, --region, --sensitivity, --evidence, --as-of, --stages, --stage-column"
            ", --by dan --record berlaku untuk satu ruleset; berikan satu RULESET"
        ),
    ),
    "facts.profile_heading": T(en="Region profile", id="Profil wilayah"),
    "facts.profile_intro": T(
        en="{regions} regions, {schemes} schemes evaluated on the same data: each scheme's"
        " total and tier.",
        id="{regions} wilayah, {schemes} skema dihitung dari data yang sama: nilai total dan"
        " predikat setiap skema.",
    ),
    "facts.profile_total": T(en="Total", id="Nilai total"),
    "facts.profile_tier": T(en="Tier", id="Predikat"),
}

# Issue 16: evidence (data dukung) declarations and the evidence register.
_EVIDENCE = {
    "evidence.at": T(en="{where}, {row}, column '{column}'", id="{where}, {row}, kolom '{column}'"),
    "evidence.no_column": T(
        en="{where}: the evidence register has no column {columns} (its columns: 'region',"
        " 'input', 'document', 'link', 'status', 'date', 'note'; or 'wilayah', 'indikator',"
        " 'dokumen', 'tautan', 'status', 'tanggal', 'catatan')",
        id="{where}: daftar data dukung tidak memiliki kolom {columns} (kolomnya: 'wilayah',"
        " 'indikator', 'dokumen', 'tautan', 'status', 'tanggal', 'catatan'; atau 'region',"
        " 'input', 'document', 'link', 'status', 'date', 'note')",
    ),
    "evidence.empty": T(
        en="{at}: empty; every row names a region, an input or indicator, a document and a status",
        id="{at}: kosong; setiap baris menyebut wilayah, input atau indikator, dokumen, dan status",
    ),
    "evidence.status": T(
        en="{at}: unknown status '{value}'; write 'belum', 'diunggah', 'diverifikasi' or"
        " 'ditolak' (or 'not_uploaded', 'uploaded', 'verified', 'rejected')",
        id="{at}: status '{value}' tidak dikenal; tulis 'belum', 'diunggah', 'diverifikasi'"
        " atau 'ditolak' (atau 'not_uploaded', 'uploaded', 'verified', 'rejected')",
    ),
    "evidence.date": T(
        en="{at}: '{value}' is not a date; write 2026-11-16 or 16/11/2026",
        id="{at}: '{value}' bukan tanggal; tulis 2026-11-16 atau 16/11/2026",
    ),
    "evidence.region": T(
        en="{at}: the region '{value}' is not in the data",
        id="{at}: wilayah '{value}' tidak ada di data",
    ),
    "evidence.owner": T(
        en="{at}: no input or indicator '{value}' of the ruleset needs evidence",
        id="{at}: tidak ada input atau indikator '{value}' dalam ruleset yang memerlukan data"
        " dukung",
    ),
    "evidence.owner_close": T(
        en="{at}: no input or indicator '{value}' of the ruleset needs evidence;"
        " did you mean '{close}'?",
        id="{at}: tidak ada input atau indikator '{value}' dalam ruleset yang memerlukan data"
        " dukung; maksud Anda '{close}'?",
    ),
    "evidence.document": T(
        en="{at}: '{owner}' needs no document '{value}'; it needs {documents}",
        id="{at}: '{owner}' tidak memerlukan dokumen '{value}'; yang diperlukan {documents}",
    ),
    "evidence.head": T(
        en="Evidence (data dukung) as of {as_of}: {documents} documents required in {regions}"
        " regions",
        id="Data dukung per {as_of}: {documents} dokumen diperlukan di {regions} wilayah",
    ),
    "evidence.as_of": T(
        en="'{value}' is not a date; write it year first, e.g. 2026-11-16",
        id="'{value}' bukan tanggal; tulis tahun lebih dulu, mis. 2026-11-16",
    ),
    "evidence.needs_register": T(
        en="--as-of and --evidence-xlsx go with --evidence REGISTER (the register of documents)",
        id="--as-of dan --evidence-xlsx dipakai bersama --evidence DAFTAR (daftar data dukung)",
    ),
    "output.what_table": T(en="an Excel workbook", id="buku kerja Excel"),
    "help.evidence": T(
        en="Evidence register (data dukung: CSV, Excel, ...): check the documents the ruleset"
        " asks for, per agency, with their deadlines.",
        id="Daftar data dukung (CSV, Excel, ...): periksa dokumen yang diminta ruleset, per OPD,"
        " beserta tenggatnya.",
    ),
    "help.as_of": T(
        en="The day the deadlines are judged on (2026-11-16); default: today.",
        id="Tanggal acuan tenggat (2026-11-16); bawaan: hari ini.",
    ),
    "help.evidence_xlsx": T(
        en="Also write every required document and its state to this Excel workbook (.xlsx).",
        id="Tulis juga setiap dokumen yang diperlukan dan keadaannya ke buku kerja Excel (.xlsx)"
        " ini.",
    ),
    "evidence.sheet.region": T(en="region", id="wilayah"),
    "evidence.sheet.name": T(en="name", id="nama"),
    "evidence.sheet.agency": T(en="agency", id="OPD"),
    "evidence.sheet.for": T(en="input or indicator", id="input atau indikator"),
    "evidence.sheet.document": T(en="document", id="dokumen"),
    "evidence.sheet.due": T(en="due", id="tenggat"),
    "evidence.sheet.kind": T(en="state", id="keadaan"),
    "evidence.sheet.state": T(en="details", id="rincian"),
    "evidence.sheet.date": T(en="date", id="tanggal"),
    "evidence.sheet.link": T(en="link or file", id="tautan atau berkas"),
    "evidence.sheet.note": T(en="note", id="catatan"),
    "evidence.sheet.points": T(en="points at stake", id="poin dipertaruhkan"),
    "evidence.not_uploaded": T(en="not uploaded", id="belum diunggah"),
    "evidence.section": T(en="Evidence (data dukung)", id="Data dukung"),
    "evidence.per_agency": T(en="Summary per agency (OPD):", id="Ringkasan per OPD:"),
    "evidence.points_rule": T(
        en="points: at most this many points of the classified score hang on the document (the"
        " maxima of the indicators it backs, through their groups' weights)",
        id="poin: paling banyak sekian poin skor penentu predikat bergantung pada dokumen itu"
        " (nilai maksimum indikator yang didukungnya, melalui bobot kelompoknya)",
    ),
    "evidence.kind.overdue": T(
        en="not uploaded, past the deadline of {due}", id="belum diunggah, lewat tenggat {due}"
    ),
    "evidence.kind.rejected": T(en="rejected", id="ditolak"),
    "evidence.kind.no_file": T(en="file not found: {link}", id="berkas tidak ditemukan: {link}"),
    "evidence.kind.late": T(
        en="uploaded {date}, after the deadline of {due}",
        id="diunggah {date}, setelah tenggat {due}",
    ),
    "evidence.kind.undated": T(
        en="uploaded without a date; due {due}", id="diunggah tanpa tanggal; tenggat {due}"
    ),
    "evidence.kind.missing": T(
        en="not uploaded; due {due}, {days} day(s) left",
        id="belum diunggah; tenggat {due}, {days} hari lagi",
    ),
    "evidence.kind.pending": T(
        en="uploaded {date}, awaiting verification", id="diunggah {date}, menunggu verifikasi"
    ),
    "evidence.kind.verified": T(en="verified", id="diverifikasi"),
    "evidence.count.overdue": T(en="past the deadline", id="lewat tenggat"),
    "evidence.count.rejected": T(en="rejected", id="ditolak"),
    "evidence.count.no_file": T(en="file not found", id="berkas tidak ditemukan"),
    "evidence.count.late": T(en="late", id="terlambat"),
    "evidence.count.undated": T(en="undated", id="tanpa tanggal"),
    "evidence.count.missing": T(en="not yet uploaded", id="belum diunggah"),
    "evidence.count.pending": T(en="awaiting verification", id="menunggu verifikasi"),
    "evidence.count.verified": T(en="verified", id="diverifikasi"),
    "evidence.column.region": T(en="region", id="wilayah"),
    "evidence.column.name": T(en="name", id="nama"),
    "evidence.column.agency": T(en="agency", id="OPD"),
    "evidence.column.for": T(en="for", id="untuk"),
    "evidence.column.document": T(en="document", id="dokumen"),
    "evidence.column.state": T(en="state", id="keadaan"),
    "evidence.column.points": T(en="points", id="poin"),
    "evidence.agency_column.agency": T(en="agency", id="OPD"),
    "evidence.agency_column.overdue": T(en="overdue", id="lewat tenggat"),
    "evidence.agency_column.rejected": T(en="rejected", id="ditolak"),
    "evidence.agency_column.no_file": T(en="no file", id="berkas hilang"),
    "evidence.agency_column.late": T(en="late", id="terlambat"),
    "evidence.agency_column.undated": T(en="undated", id="tanpa tanggal"),
    "evidence.agency_column.missing": T(en="not yet", id="belum"),
    "evidence.agency_column.regions": T(en="regions", id="wilayah"),
    "evidence.agency_column.points": T(en="most points", id="poin terbanyak"),
    "check.evidence_not_scored": T(
        en="evidence belongs on an input or an indicator, not on '{name}'",
        id="data dukung dicantumkan pada input atau indikator, bukan pada '{name}'",
    ),
    "check.evidence_twice": T(
        en="'{name}' lists the evidence '{document}' twice",
        id="'{name}' mencantumkan data dukung '{document}' dua kali",
    ),
    "check.evidence_date": T(
        en="the evidence '{document}' is due on '{date}', which is not a date of the calendar",
        id="data dukung '{document}' jatuh tempo '{date}', yang bukan tanggal kalender",
    ),
}

_SQL = {
    # Rulesets compiled to SQL (`indikator.sql`, `indikator sql`, `evaluate --engine`).
    "sql.unknown_dialect": T(
        en="no SQL dialect '{dialect}' (known: {known})",
        id="tidak ada dialek SQL '{dialect}' (yang dikenal: {known})",
    ),
    "sql.missing_extra": T(
        en="the SQL engine needs sqlglot and duckdb: pip install 'indikator[sql]'",
        id="mesin SQL memerlukan sqlglot dan duckdb: pip install 'indikator[sql]'",
    ),
    "sql.engine_reads": T(
        en="--engine duckdb reads CSV and Parquet files as they are, not {what}: evaluate"
        " without --engine, or convert the data to Parquet",
        id="--engine duckdb membaca berkas CSV dan Parquet apa adanya, bukan {what}: evaluasi"
        " tanpa --engine, atau ubah data ke Parquet",
    ),
    "sql.engine_options": T(
        en="--engine duckdb does not follow {what}: evaluate without --engine",
        id="--engine duckdb tidak mengikuti {what}: evaluasi tanpa --engine",
    ),
    "sql.engine_failed": T(
        en="DuckDB cannot read '{path}': {reason}",
        id="DuckDB tidak dapat membaca '{path}': {reason}",
    ),
    "help.command.sql": T(
        en="Write a ruleset as one SQL query (DuckDB, PostgreSQL or Spark).",
        id="Tulis ruleset sebagai satu kueri SQL (DuckDB, PostgreSQL atau Spark).",
    ),
    "help.sql_dialect": T(en="SQL dialect of the query", id="dialek SQL kueri"),
    "help.sql_table": T(
        en="name of the table the query reads (one column per data column)",
        id="nama tabel yang dibaca kueri (satu kolom per kolom data)",
    ),
    "help.sql_output": T(en="write the query to this file", id="tulis kueri ke berkas ini"),
    "help.engine": T(
        en="numpy (default) or duckdb: evaluate inside DuckDB, reading CSV or Parquet"
        " (a glob of files too)",
        id="numpy (bawaan) atau duckdb: evaluasi di dalam DuckDB, membaca CSV atau Parquet"
        " (juga pola glob berkas)",
    ),
}


#: Run records (`indikator.record`) and `indikator verify`.
_RECORDS = {
    "record.format": T(
        en="unknown run record format {found} (this indikator reads format 1)",
        id="format rekam jejak {found} tidak dikenal (indikator ini membaca format 1)",
    ),
    "record.none": T(
        en="'{path}' holds no indikator run record, and none lies beside it (.record.json)",
        id="'{path}' tidak memuat rekam jejak indikator, dan tidak ada di sebelahnya "
        "(.record.json)",
    ),
    "record.unreadable": T(
        en="the run record in '{path}' cannot be read",
        id="rekam jejak di '{path}' tidak dapat dibaca",
    ),
    "record.html_line": T(
        en="Run record: indikator {version}, {time}, results {digest}; "
        "`indikator verify` on this file checks it",
        id="Rekam jejak: indikator {version}, {time}, hasil {digest}; "
        "`indikator verify` pada berkas ini memeriksanya",
    ),
    "record.head": T(
        en="record: {path} (indikator {version}, {time})",
        id="rekam jejak: {path} (indikator {version}, {time})",
    ),
    "record.command": T(en="made by: {command}", id="dibuat dengan: {command}"),
    "record.files_same": T(
        en="files: {count} unchanged (SHA-256 as recorded)",
        id="berkas: {count} tidak berubah (SHA-256 sesuai catatan)",
    ),
    "record.file_changed": T(
        en="file changed: {path} ({role})", id="berkas berubah: {path} ({role})"
    ),
    "record.file_missing": T(
        en="file missing: {path} ({role})", id="berkas tidak ada: {path} ({role})"
    ),
    "record.sha_recorded": T(en="    recorded sha256 {sha}", id="    tercatat sha256 {sha}"),
    "record.sha_now": T(en="    now      sha256 {sha}", id="    sekarang sha256 {sha}"),
    "record.role_ruleset": T(en="ruleset", id="ruleset"),
    "record.role_import": T(en="imported ruleset file", id="berkas ruleset yang diimpor"),
    "record.role_params": T(en="parameter file", id="berkas parameter"),
    "record.role_data": T(en="data", id="data"),
    "record.version_changed": T(
        en="indikator version changed: recorded {old}, now {new}",
        id="versi indikator berubah: tercatat {old}, sekarang {new}",
    ),
    "record.rerun_failed": T(
        en="the run could not be made again:", id="penilaian tidak dapat diulang:"
    ),
    "record.results_same": T(
        en="results: the same, {regions} regions, every value and tier as recorded ({digest})",
        id="hasil: sama, {regions} wilayah, setiap nilai dan predikat sesuai catatan ({digest})",
    ),
    "record.results_differ": T(
        en="results differ: {count} value(s) in {regions} of {total} regions",
        id="hasil berbeda: {count} nilai di {regions} dari {total} wilayah",
    ),
    "record.digests": T(
        en="    digest recorded {old}, now {new}", id="    digest tercatat {old}, sekarang {new}"
    ),
    "record.columns_gone": T(
        en="    columns recorded, not made now: {columns}",
        id="    kolom tercatat, kini tidak dihasilkan: {columns}",
    ),
    "record.columns_new": T(
        en="    columns made now, not recorded: {columns}",
        id="    kolom yang kini dihasilkan, tidak tercatat: {columns}",
    ),
    "record.no_values": T(
        en="    the record keeps only the results' digest, not their values, which it cannot name",
        id="    rekam jejak hanya menyimpan digest hasil, bukan nilainya, sehingga tidak dapat "
        "menyebutkannya",
    ),
    "record.value": T(
        en="    {region} {column}: recorded {old}, now {new}",
        id="    {region} {column}: tercatat {old}, sekarang {new}",
    ),
    "record.region_gone": T(
        en="    {region}: recorded, not in the results now",
        id="    {region}: tercatat, kini tidak ada di hasil",
    ),
    "record.region_new": T(
        en="    {region}: in the results now, not recorded",
        id="    {region}: kini ada di hasil, tidak tercatat",
    ),
    "record.inconsistent": T(
        en="the record's values do not give its own digest: the record was edited",
        id="nilai dalam rekam jejak tidak menghasilkan digest-nya sendiri: rekam jejak diubah",
    ),
    "record.more": T(en="    ... and {count} more", id="    ... dan {count} lainnya"),
    "record.same": T(en="the same as recorded", id="sama dengan yang tercatat"),
    "record.files_only": T(
        en="results: not made again; a '{command}' record checks its files only "
        "(SHA-256), not the output",
        id="hasil: tidak dibuat ulang; rekam jejak '{command}' hanya memeriksa berkasnya "
        "(SHA-256), bukan keluarannya",
    ),
    "record.same_files": T(
        en="the files are the same as recorded (files checked only, not the output)",
        id="berkas sama dengan yang tercatat (hanya berkas yang diperiksa, bukan keluaran)",
    ),
    "record.role_evidence": T(en="evidence register", id="daftar data dukung"),
    "record.differs": T(en="NOT the same as recorded", id="TIDAK sama dengan yang tercatat"),
    "help.command.verify": T(
        en="Check a run record: RECORD is a .record.json file, or an output holding one "
        "(.xlsx, .html, .json, .parquet, or any output with its .record.json beside it). "
        "Every file is hashed again and the evaluation run again; exit 0 when all is the "
        "same, 1 naming what differs.",
        id="Periksa rekam jejak: RECORD adalah berkas .record.json, atau keluaran yang "
        "memuatnya (.xlsx, .html, .json, .parquet, atau keluaran apa pun dengan .record.json "
        "di sebelahnya). Setiap berkas di-hash ulang dan penilaian diulang; keluar 0 bila "
        "semuanya sama, 1 dengan menyebut apa yang berbeda.",
    ),
    "record.is_output": T(
        en="--record: '{path}' is the output itself; the record goes beside it or elsewhere",
        id="--record: '{path}' adalah keluaran itu sendiri; rekam jejak ditulis di "
        "sebelahnya atau di tempat lain",
    ),
    "help.record": T(
        en="Write the run record to FILE (default: beside the output, OUTPUT.record.json)",
        id="Tulis rekam jejak ke FILE (bawaan: di sebelah keluaran, OUTPUT.record.json)",
    ),
}


# Issue 18: roll-ups as SQL queries (`rollup_sql`, `indikator sql --by`).
_SQLROLL: Mapping[str, Template] = {
    "sql.kept_value": T(
        en="'{name}' is a value the query computes, not a column of the table passed"
        " through as it is: group by and keep text columns (a province, the region id)",
        id="'{name}' adalah nilai yang dihitung kueri, bukan kolom tabel yang diteruskan apa"
        " adanya: kelompokkan dan teruskan kolom teks (provinsi, kode wilayah)",
    ),
    "sql.kept_value_hint": T(
        en="add the column to the data as text, or roll up with indikator itself"
        " (evaluate --by COL)",
        id="tambahkan kolom itu ke data sebagai teks, atau buat rekap dengan indikator sendiri"
        " (evaluate --by COL)",
    ),
    "sql.from_needs_by": T(
        en="--from names the view of the scores a roll-up reads: give --by COL too",
        id="--from menyebut view nilai yang dibaca rekap: berikan juga --by COL",
    ),
    "help.sql_by": T(
        en="write the roll-up per value of this column (a province) instead: count, mean"
        " score, count and share per tier",
        id="tulis rekap per nilai kolom ini (provinsi): jumlah wilayah, rata-rata nilai,"
        " jumlah dan porsi per predikat",
    ),
    "help.sql_from": T(
        en="with --by: read this view or table of the scores (written with --keep COL)"
        " instead of computing them in the query",
        id="dengan --by: baca view atau tabel nilai ini (ditulis dengan --keep COL),"
        " bukan menghitungnya di dalam kueri",
    ),
    "help.sql_keep": T(
        en="pass this column of the table through to the scores (repeatable), e.g. the"
        " province a roll-up groups by",
        id="teruskan kolom tabel ini ke hasil nilai (boleh berulang), misalnya provinsi"
        " yang dikelompokkan rekap",
    ),
}

# Issue 18: one semantics for text cells in SQL and numpy (`sql.engine`).
_SQLTEXT: Mapping[str, Template] = {
    "sql.engine_locale": T(
        en="'{path}' writes its numbers in Indonesian notation (an Indonesian template):"
        " --engine duckdb reads numbers with a decimal point only; evaluate without --engine",
        id="'{path}' menulis angkanya dalam notasi Indonesia (templat berbahasa Indonesia):"
        " --engine duckdb hanya membaca angka dengan titik desimal; evaluasi tanpa --engine",
    ),
    "sql.engine_typed_text": T(
        en="column '{column}' is text in the ruleset but holds {stored} in the table, which"
        " SQL writes as text otherwise than the numpy engine; store the column as text, or"
        " evaluate without --engine",
        id="kolom '{column}' berupa teks dalam aturan tetapi berisi {stored} dalam tabel, yang"
        " ditulis SQL sebagai teks secara berbeda dari mesin numpy; simpan kolom sebagai"
        " teks, atau evaluasi tanpa --engine",
    ),
    "sql.engine_float32": T(
        en="column '{column}' holds 32-bit floats: the numpy engine reads 10.1 as 10.1, SQL as"
        " 10.100000381; store the column as 64-bit floats (DOUBLE) or decimals, or evaluate"
        " without --engine",
        id="kolom '{column}' berisi bilangan pecahan 32-bit: mesin numpy membaca 10.1 sebagai"
        " 10.1, SQL sebagai 10.100000381; simpan kolom sebagai bilangan 64-bit (DOUBLE) atau"
        " desimal, atau evaluasi tanpa --engine",
    ),
    "sql.engine_bool_number": T(
        en="column '{column}' holds yes/no values (BOOLEAN) where the ruleset reads numbers:"
        " the numpy engine refuses them, SQL would read 1 and 0; store numbers, or evaluate"
        " without --engine",
        id="kolom '{column}' berisi nilai ya/tidak (BOOLEAN) padahal aturan membaca angka:"
        " mesin numpy menolaknya, SQL akan membacanya sebagai 1 dan 0; simpan angka, atau"
        " evaluasi tanpa --engine",
    ),
    "sql.stored.bool": T(en="yes/no values (BOOLEAN)", id="nilai ya/tidak (BOOLEAN)"),
    "sql.stored.time": T(en="dates with times (TIMESTAMP)", id="tanggal dengan jam (TIMESTAMP)"),
    "sql.engine_float_text": T(
        en="column '{column}' is text in the ruleset but holds decimal numbers in the table:"
        " the numpy engine reads 3201.0 as '3201', SQL as '3201.0'; store the column as text"
        " (or whole numbers), or evaluate without --engine",
        id="kolom '{column}' berupa teks dalam aturan tetapi berisi bilangan desimal dalam"
        " tabel: mesin numpy membaca 3201.0 sebagai '3201', SQL sebagai '3201.0'; simpan"
        " kolom sebagai teks (atau bilangan bulat), atau evaluasi tanpa --engine",
    ),
}

# Issue 18: a glob of CSV files read in blocks for DuckDB (`sql.engine.evaluate_path`).
_CSV_BLOCKS: Mapping[str, Template] = {
    "sql.csv_no_files": T(
        en="no CSV file matches '{pattern}'",
        id="tidak ada berkas CSV yang cocok dengan '{pattern}'",
    ),
    "sql.csv_columns": T(
        en="'{path}' has other columns than '{first}' ({columns} against {expected}): the CSV"
        " files of a glob are read as one table, with the same columns",
        id="'{path}' memiliki kolom yang berbeda dari '{first}' ({columns} dibanding"
        " {expected}): berkas CSV dalam satu glob dibaca sebagai satu tabel, dengan kolom"
        " yang sama",
    ),
}

#: Every message by key; `indikator.messages.Message` renders them.
CATALOGUE: Mapping[str, Template] = {
    **{f"title.{code}": title for code, title in TITLES.items()},
    **_FRAME,
    **_SYNTAX,
    **_FILES,
    **_TYPES,
    **_CHECK,
    **_PROVENANCE,
    **_FUNCTIONS,
    **_PARAMS,
    **_FRONT,
    **_DATA,
    **_TABLES,
    **_READERS,
    **_OTHER,
    **_OUTPUT,
    **_GAPS,
    **_VIEWS,
    **_REPORT2,
    **_ADVICE_STEPS,
    **_SHEETS_IN,
    **_SHEETS_OUT,
    **_FRICTION,
    **_ADVREAD,
    **_ADVNEXT,
    **_LSP,
    **_EVIDENCE,
    **_STAGES,
    **_SQL,
    **_RECORDS,
    **_FACTS,
    **_SQLROLL,
    **_SQLTEXT,
    **_CSV_BLOCKS,
}
