"""Curated word lists (ru, zh-Hans, en) from which the demo's titles, synopses and names are made.

Every entry carries all three languages, so a generated title is a real translation of itself
and cross-script search finds something true. Russian adjectives carry their three genders so
that generated Russian titles agree («Тихая река», «Тихий берег», «Тихое море»).
"""

# --- hand-written headliners: famous-looking titles for the search demo ------------------------
# (ref suffix, {lang: title}, year, genres, MKRF rating, extra rating or None)
RU_HEADLINERS = [
    ({"ru": "Сталинград", "zh-Hans": "斯大林格勒", "en": "Stalingrad"}, 2013, ["war", "drama"], "16+", ("US", "MPAA", "R")),
    ({"ru": "Тихий Дон", "zh-Hans": "静静的顿河", "en": "Quiet Flows the Don"}, 1958, ["drama", "history"], "12+", None),
    (
        {"ru": "Москва слезам не верит", "zh-Hans": "莫斯科不相信眼泪", "en": "Moscow Does Not Believe in Tears"},
        1980,
        ["drama", "romance"],
        "12+",
        ("US", "MPAA", "PG"),
    ),
    ({"ru": "Ёлки", "zh-Hans": "圣诞树", "en": "Six Degrees of Celebration"}, 2010, ["comedy", "family"], "6+", None),
    ({"ru": "Ледокол", "zh-Hans": "破冰船", "en": "The Icebreaker"}, 2016, ["adventure", "drama"], "12+", None),
    ({"ru": "Белые ночи", "zh-Hans": "白夜", "en": "White Nights"}, 1959, ["drama", "romance"], "12+", None),
    ({"ru": "Экипаж", "zh-Hans": "机组", "en": "The Crew"}, 2016, ["action", "adventure"], "12+", ("US", "MPAA", "PG-13")),
    ({"ru": "Легенда номер семнадцать", "zh-Hans": "传奇十七号", "en": "Legend No. 17"}, 2013, ["sport", "biography"], "6+", None),
    ({"ru": "Время первых", "zh-Hans": "太空先驱", "en": "The Age of Pioneers"}, 2017, ["history", "adventure"], "6+", None),
    ({"ru": "Байкальская легенда", "zh-Hans": "贝加尔湖传说", "en": "The Baikal Legend"}, 2021, ["drama", "adventure"], "12+", None),
    (
        {"ru": "Мастер и Маргарита", "zh-Hans": "大师和玛格丽特", "en": "The Master and Margarita"},
        2024,
        ["fantasy", "drama"],
        "18+",
        ("US", "MPAA", "R"),
    ),
    ({"ru": "Полярная звезда", "zh-Hans": "北极星", "en": "The Pole Star"}, 1971, ["drama", "war"], "12+", None),
]
CN_HEADLINERS = [
    ({"zh-Hans": "长江之歌", "ru": "Песня Янцзы", "en": "Song of the Yangtze"}, 2019, ["drama", "history"], "12+", ("HK", "HK-FCO", "I")),
    (
        {"zh-Hans": "流浪星球", "ru": "Блуждающая планета", "en": "The Wandering Planet"},
        2019,
        ["science_fiction", "action"],
        "12+",
        ("HK", "HK-FCO", "IIA"),
    ),
    ({"zh-Hans": "红高粱", "ru": "Красный гаолян", "en": "Red Sorghum"}, 1987, ["drama", "war"], "16+", ("HK", "HK-FCO", "IIB")),
    (
        {"zh-Hans": "卧虎藏龙", "ru": "Крадущийся тигр, затаившийся дракон", "en": "Crouching Tiger, Hidden Dragon"},
        2000,
        ["martial_arts", "romance"],
        "12+",
        ("US", "MPAA", "PG-13"),
    ),
    ({"zh-Hans": "上海滩", "ru": "Шанхайская набережная", "en": "The Bund"}, 1980, ["crime", "drama"], "16+", ("HK", "HK-FCO", "IIB")),
    ({"zh-Hans": "敦煌", "ru": "Дуньхуан", "en": "Dunhuang"}, 1988, ["history", "adventure"], "12+", None),
    (
        {"zh-Hans": "紫禁城", "ru": "Запретный город", "en": "The Forbidden City"},
        2006,
        ["history", "drama"],
        "16+",
        ("HK", "HK-FCO", "IIB"),
    ),
    ({"zh-Hans": "丝绸之路", "ru": "Шёлковый путь", "en": "The Silk Road"}, 2015, ["adventure", "history"], "6+", ("HK", "HK-FCO", "I")),
]

# --- generated titles: adjective + noun, and noun + noun (genitive) ---------------------------
# noun: (ru nominative, gender m/f/n, ru genitive, zh, en)
NOUNS = [
    ("Река", "f", "реки", "河流", "River"),
    ("Ветер", "m", "ветра", "风", "Wind"),
    ("Море", "n", "моря", "大海", "Sea"),
    ("Дорога", "f", "дороги", "道路", "Road"),
    ("Берег", "m", "берега", "河岸", "Shore"),
    ("Город", "m", "города", "城市", "City"),
    ("Поезд", "m", "поезда", "列车", "Train"),
    ("Звезда", "f", "звезды", "星辰", "Star"),
    ("Сердце", "n", "сердца", "心", "Heart"),
    ("Луна", "f", "луны", "月亮", "Moon"),
    ("Лес", "m", "леса", "森林", "Forest"),
    ("Снег", "m", "снега", "雪", "Snow"),
    ("Дом", "m", "дома", "家", "House"),
    ("Мост", "m", "моста", "桥", "Bridge"),
    ("Сад", "m", "сада", "花园", "Garden"),
    ("Остров", "m", "острова", "岛屿", "Island"),
    ("Небо", "n", "неба", "天空", "Sky"),
    ("Песня", "f", "песни", "歌", "Song"),
    ("Граница", "f", "границы", "边境", "Border"),
    ("Весна", "f", "весны", "春天", "Spring"),
    ("Осень", "f", "осени", "秋天", "Autumn"),
    ("Зима", "f", "зимы", "冬天", "Winter"),
    ("Рассвет", "m", "рассвета", "黎明", "Dawn"),
    ("Ночь", "f", "ночи", "夜", "Night"),
    ("Тайна", "f", "тайны", "秘密", "Secret"),
    ("Степь", "f", "степи", "草原", "Steppe"),
    ("Озеро", "n", "озера", "湖", "Lake"),
    ("Корабль", "m", "корабля", "船", "Ship"),
    ("Крепость", "f", "крепости", "城堡", "Fortress"),
    ("Письмо", "n", "письма", "信", "Letter"),
    ("Гора", "f", "горы", "山", "Mountain"),
    ("Огонь", "m", "огня", "火焰", "Fire"),
    ("Тень", "f", "тени", "影子", "Shadow"),
    ("Журавль", "m", "журавля", "仙鹤", "Crane"),
    ("Волк", "m", "волка", "狼", "Wolf"),
    ("Сын", "m", "сына", "儿子", "Son"),
    ("Учитель", "m", "учителя", "老师", "Teacher"),
    ("Капитан", "m", "капитана", "船长", "Captain"),
    ("Невеста", "f", "невесты", "新娘", "Bride"),
    ("Лето", "n", "лета", "夏天", "Summer"),
]
# «Песня ветра» reads well, «Поезд письма» does not: which nouns may head and end that pattern.
GENITIVE_HEADS = {
    "Песня",
    "Тайна",
    "Тень",
    "Дорога",
    "Сердце",
    "Граница",
    "Дом",
    "Рассвет",
    "Ночь",
    "Берег",
    "Письмо",
    "Капитан",
    "Невеста",
    "Сын",
    "Учитель",
    "Крепость",
    "Звезда",
    "Луна",
    "Огонь",
    "Сад",
    "Мост",
}
GENITIVE_TAILS = {
    "Ветер",
    "Море",
    "Река",
    "Степь",
    "Гора",
    "Город",
    "Лес",
    "Озеро",
    "Снег",
    "Небо",
    "Зима",
    "Осень",
    "Весна",
    "Лето",
    "Ночь",
    "Остров",
    "Волк",
    "Журавль",
    "Корабль",
    "Крепость",
}
# adjective: (ru m, ru f, ru n, zh, en)
ADJECTIVES = [
    ("Тихий", "Тихая", "Тихое", "寂静", "Silent"),
    ("Северный", "Северная", "Северное", "北方", "Northern"),
    ("Последний", "Последняя", "Последнее", "最后", "Last"),
    ("Белый", "Белая", "Белое", "白色", "White"),
    ("Красный", "Красная", "Красное", "红色", "Red"),
    ("Далёкий", "Далёкая", "Далёкое", "遥远", "Distant"),
    ("Золотой", "Золотая", "Золотое", "金色", "Golden"),
    ("Холодный", "Холодная", "Холодное", "寒冷", "Cold"),
    ("Старый", "Старая", "Старое", "古老", "Old"),
    ("Новый", "Новая", "Новое", "崭新", "New"),
    ("Чужой", "Чужая", "Чужое", "陌生", "Stranger's"),
    ("Вечный", "Вечная", "Вечное", "永恒", "Eternal"),
    ("Синий", "Синяя", "Синее", "蓝色", "Blue"),
    ("Тёмный", "Тёмная", "Тёмное", "黑暗", "Dark"),
    ("Первый", "Первая", "Первое", "最初", "First"),
    ("Горький", "Горькая", "Горькое", "苦涩", "Bitter"),
    ("Долгий", "Долгая", "Долгое", "漫长", "Long"),
    ("Летний", "Летняя", "Летнее", "夏日", "Summer"),
    ("Зимний", "Зимняя", "Зимнее", "冬日", "Winter"),
    ("Весенний", "Весенняя", "Весеннее", "春日", "Spring"),
    ("Потерянный", "Потерянная", "Потерянное", "失落", "Lost"),
    ("Снежный", "Снежная", "Снежное", "雪白", "Snowy"),
    ("Ясный", "Ясная", "Ясное", "明朗", "Clear"),
    ("Дикий", "Дикая", "Дикое", "狂野", "Wild"),
    ("Огненный", "Огненная", "Огненное", "烈火", "Fiery"),
    ("Железный", "Железная", "Железное", "钢铁", "Iron"),
]

# --- series -------------------------------------------------------------------------------------
RU_SERIES = [
    {"ru": "Ликвидация", "zh-Hans": "清算", "en": "Liquidation"},
    {"ru": "Тайны следствия", "zh-Hans": "调查秘密", "en": "Secrets of the Investigation"},
    {"ru": "Северный маршрут", "zh-Hans": "北方航线", "en": "The Northern Route"},
]
CN_SERIES = [
    {"zh-Hans": "琅琊风云", "ru": "Хроники Ланъя", "en": "The Langya Chronicles"},
    {"zh-Hans": "繁花似锦", "ru": "Цветущий Шанхай", "en": "Shanghai in Bloom"},
    {"zh-Hans": "宫廷秘史", "ru": "Тайная история дворца", "en": "Secret History of the Palace"},
]
PLATFORM_SERIES = [
    {"zh-Hans": "星河少年", "ru": "Юность Млечного Пути", "en": "Youth of the Milky Way"},
    {"zh-Hans": "长安夜行", "ru": "Ночной Чанъань", "en": "Night Walk in Chang'an"},
]

# --- people ---------------------------------------------------------------------------------------
RU_FIRST_MALE = [
    ("Алексей", "阿列克谢", "Alexei"),
    ("Дмитрий", "德米特里", "Dmitry"),
    ("Игорь", "伊戈尔", "Igor"),
    ("Сергей", "谢尔盖", "Sergei"),
    ("Павел", "帕维尔", "Pavel"),
    ("Никита", "尼基塔", "Nikita"),
    ("Андрей", "安德烈", "Andrei"),
    ("Фёдор", "费奥多尔", "Fyodor"),
]
RU_FIRST_FEMALE = [
    ("Анна", "安娜", "Anna"),
    ("Елена", "叶莲娜", "Elena"),
    ("Мария", "玛丽亚", "Maria"),
    ("Ольга", "奥尔加", "Olga"),
    ("Татьяна", "塔季扬娜", "Tatiana"),
    ("Вера", "薇拉", "Vera"),
]
# surnames in -ов/-ев/-ин; the feminine form adds -а (ru, en) and 夫 → 娃 or + 娜 (zh)
RU_SURNAMES = [
    ("Смирнов", "斯米尔诺夫", "Smirnov"),
    ("Орлов", "奥尔洛夫", "Orlov"),
    ("Волков", "沃尔科夫", "Volkov"),
    ("Морозов", "莫罗佐夫", "Morozov"),
    ("Соколов", "索科洛夫", "Sokolov"),
    ("Лебедев", "列别杰夫", "Lebedev"),
    ("Беляев", "别利亚耶夫", "Belyaev"),
    ("Зимин", "济明", "Zimin"),
    ("Рябинин", "里亚比宁", "Ryabinin"),
]
CN_SURNAMES = [
    ("王", "Ван", "Wang"),
    ("李", "Ли", "Li"),
    ("张", "Чжан", "Zhang"),
    ("刘", "Лю", "Liu"),
    ("陈", "Чэнь", "Chen"),
    ("杨", "Ян", "Yang"),
    ("赵", "Чжао", "Zhao"),
    ("周", "Чжоу", "Zhou"),
    ("吴", "У", "Wu"),
    ("孙", "Сунь", "Sun"),
]
CN_GIVEN = [
    ("明", "Мин", "Ming"),
    ("娜", "На", "Na"),
    ("伟", "Вэй", "Wei"),
    ("洋", "Ян", "Yang"),
    ("静", "Цзин", "Jing"),
    ("帆", "Фань", "Fan"),
    ("雷", "Лэй", "Lei"),
    ("婷", "Тин", "Ting"),
    ("志强", "Чжицян", "Zhiqiang"),
    ("晓梅", "Сяомэй", "Xiaomei"),
]

# --- synopses -------------------------------------------------------------------------------------
PLACES = [
    ("в Москве", "在莫斯科", "in Moscow"),
    ("на Байкале", "在贝加尔湖畔", "on Lake Baikal"),
    ("в Шанхае", "在上海", "in Shanghai"),
    ("в Харбине", "在哈尔滨", "in Harbin"),
    ("во Владивостоке", "在符拉迪沃斯托克", "in Vladivostok"),
    ("в Пекине", "在北京", "in Beijing"),
    ("в Санкт-Петербурге", "在圣彼得堡", "in Saint Petersburg"),
    ("в Чунцине", "在重庆", "in Chongqing"),
]
PLOTS = [
    (
        "Молодой инженер возвращается домой {place} и узнаёт семейную тайну.",
        "{place}，一位年轻工程师回到家乡，发现了一个家族秘密。",
        "A young engineer returns home {place} and uncovers a family secret.",
    ),
    (
        "Два старых друга встречаются {place} спустя двадцать лет.",
        "两位老朋友二十年后{place}重逢。",
        "Two old friends meet again {place} after twenty years.",
    ),
    (
        "Следователь распутывает странное дело {place}.",
        "{place}，一名侦探调查一桩离奇的案件。",
        "A detective unravels a strange case {place}.",
    ),
    (
        "Семья держит маленький ресторан {place} и мечтает о большем.",
        "一家人{place}经营一家小饭馆，梦想着更大的未来。",
        "A family runs a small restaurant {place} and dreams of more.",
    ),
    (
        "Спортсменка готовится к главному старту своей жизни {place}.",
        "{place}，一名女运动员为人生中最重要的比赛做准备。",
        "An athlete prepares for the race of her life {place}.",
    ),
    (
        "Музыкант ищет утраченную песню своего деда {place}.",
        "一位音乐家{place}寻找祖父失传的歌曲。",
        "A musician searches {place} for his grandfather's lost song.",
    ),
    (
        "Учительница приезжает в деревню {place} и меняет жизнь своих учеников.",
        "一位女教师来到{place}的乡村，改变了学生们的命运。",
        "A teacher arrives at a village {place} and changes her pupils' lives.",
    ),
    (
        "Капитан ледокола ведёт последний рейс сезона {place}.",
        "破冰船船长{place}执行本季最后一次航行。",
        "An icebreaker captain sails the season's last voyage {place}.",
    ),
]
DOC_SUBJECTS = [("Путешествие", "旅行", "A Journey"), ("Дикая природа", "野生世界", "Wild Nature"), ("Голоса", "声音", "Voices")]
