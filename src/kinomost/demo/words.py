"""Parallel phrase lists (ru, zh-Hans, en) from which the demo's titles and synopses are made.

Each entry is one phrase in three languages, so a generated title is a real translation of
itself and cross-script search has something true to find.
"""

RU_PHRASES = [
    ("Северный ветер", "北风", "The North Wind"), ("Последний поезд", "末班列车", "The Last Train"),
    ("Дом у реки", "河边的房子", "The House by the River"), ("Белые ночи", "白夜", "White Nights"),
    ("Тихая гавань", "宁静的港湾", "Quiet Harbour"), ("Зимняя дорога", "冬日之路", "The Winter Road"),
    ("Голос моря", "大海的声音", "Voice of the Sea"), ("Ледокол", "破冰船", "The Icebreaker"),
    ("Солнечный удар", "中暑", "Sunstroke"), ("Мой друг", "我的朋友", "My Friend"),
    ("Летчик", "飞行员", "The Pilot"), ("Горький мед", "苦涩的蜂蜜", "Bitter Honey"),
    ("Старый город", "老城", "The Old Town"), ("Полярная звезда", "北极星", "The Pole Star"),
    ("Сибирский цирюльник", "西伯利亚理发师", "The Barber of Siberia"), ("Огни большого города", "大城市的灯火", "Big City Lights"),
    ("Вторая попытка", "第二次尝试", "Second Attempt"), ("Утомленные дорогой", "疲惫的旅途", "Weary of the Road"),
    ("Брат", "兄弟", "Brother"), ("Отец и сын", "父与子", "Father and Son"),
    ("Весна на Заречной улице", "河滨街的春天", "Spring on Zarechnaya Street"), ("Метро", "地铁", "Metro"),
    ("Экипаж", "机组", "The Crew"), ("Движение вверх", "绝杀慕尼黑", "Going Vertical"),
    ("Легенда номер семнадцать", "传奇十七号", "Legend No. 17"), ("Холоп", "农奴", "Serf"),
    ("Чемпионы", "冠军", "Champions"), ("Притяжение", "引力", "Attraction"),
    ("Время первых", "太空救援", "The Age of Pioneers"), ("Суперзвезда", "超级明星", "Superstar"),
    ("Степной волк", "草原狼", "Steppe Wolf"), ("Байкал", "贝加尔湖", "Baikal"),
    ("Ладога", "拉多加湖", "Ladoga"), ("Камчатка", "堪察加", "Kamchatka"),
    ("Мастер и Маргарита", "大师和玛格丽特", "The Master and Margarita"), ("Вий", "魔鬼", "Viy"),
    ("Нулевой километр", "零公里", "Kilometre Zero"), ("Сказка о царе", "沙皇的故事", "The Tale of the Tsar"),
    ("Серебряные коньки", "银冰鞋", "Silver Skates"), ("Бумажный солдат", "纸兵", "Paper Soldier"),
    ("Исчезнувшая империя", "消失的帝国", "The Vanished Empire"), ("Дикое поле", "荒原", "Wild Field"),
    ("Остров", "岛", "The Island"), ("Возвращение", "回归", "The Return"),
    ("Левиафан", "利维坦", "Leviathan"), ("Кукушка", "杜鹃", "The Cuckoo"),
    ("Звезда", "星星", "The Star"), ("Водитель для Веры", "薇拉的司机", "A Driver for Vera"),
    ("Питер FM", "彼得调频", "Piter FM"), ("Московская жара", "莫斯科热浪", "Moscow Heat"),
]

CN_PHRASES = [
    ("长江之歌", "Песня Янцзы", "Song of the Yangtze"), ("江湖", "Реки и озёра", "Rivers and Lakes"),
    ("明月", "Ясная луна", "The Bright Moon"), ("大地", "Земля", "The Good Earth"),
    ("归途", "Дорога домой", "The Way Home"), ("山海情", "Горы и моря", "Mountains and Seas"),
    ("流浪地球", "Блуждающая Земля", "The Wandering Earth"), ("红高粱", "Красный гаолян", "Red Sorghum"),
    ("霸王别姬", "Прощай, моя наложница", "Farewell My Concubine"), ("秋菊打官司", "История Цю Цзю", "The Story of Qiu Ju"),
    ("哪吒", "Нэчжа", "Ne Zha"), ("长安", "Чанъань", "Chang'an"),
    ("西游记", "Путешествие на Запад", "Journey to the West"), ("功夫", "Кунг-фу", "Kung Fu Hustle"),
    ("英雄", "Герой", "Hero"), ("卧虎藏龙", "Крадущийся тигр, затаившийся дракон", "Crouching Tiger, Hidden Dragon"),
    ("茶马古道", "Чайная дорога", "The Ancient Tea Horse Road"), ("黄河", "Хуанхэ", "The Yellow River"),
    ("上海滩", "Шанхайская набережная", "The Bund"), ("敦煌", "Дуньхуан", "Dunhuang"),
    ("熊猫", "Панда", "The Panda"), ("春天", "Весна", "Spring"),
    ("北京爱情故事", "Пекинская история любви", "Beijing Love Story"), ("唐人街探案", "Детектив из Чайна-тауна", "Detective Chinatown"),
    ("战狼", "Боевой волк", "Wolf Warrior"), ("你好，李焕英", "Привет, мама", "Hi, Mom"),
    ("我不是药神", "Я не бог лекарств", "Dying to Survive"), ("长津湖", "Битва у озера Чосин", "The Battle at Lake Changjin"),
    ("满江红", "Полная река красного", "Full River Red"), ("封神", "Создание богов", "Creation of the Gods"),
    ("白蛇", "Белая змея", "White Snake"), ("大鱼海棠", "Большая рыба и бегония", "Big Fish and Begonia"),
    ("少年的你", "Лучшие дни", "Better Days"), ("风声", "Послание", "The Message"),
    ("一代宗师", "Великий мастер", "The Grandmaster"), ("天下无贼", "Мир без воров", "A World Without Thieves"),
    ("南海", "Южное море", "The South Sea"), ("丝绸之路", "Шёлковый путь", "The Silk Road"),
    ("紫禁城", "Запретный город", "The Forbidden City"), ("桃花源", "Персиковый источник", "Peach Blossom Land"),
]

RU_SERIES = [
    ("Ликвидация", "清算", "Liquidation"), ("Метод", "方法", "The Method"),
    ("Эпидемия", "传染病", "To the Lake"), ("Тайны следствия", "调查秘密", "Secrets of the Investigation"),
]
CN_SERIES = [
    ("琅琊榜", "Список Ланъя", "Nirvana in Fire"), ("三体", "Задача трёх тел", "Three-Body"),
    ("甄嬛传", "Легенда о Чжэнь Хуань", "Empresses in the Palace"), ("繁花", "Цветы", "Blossoms Shanghai"),
]

RU_PEOPLE = [
    ("Алексей Смирнов", "阿列克谢·斯米尔诺夫", "Alexei Smirnov"), ("Анна Ковалёва", "安娜·科瓦廖娃", "Anna Kovalyova"),
    ("Дмитрий Орлов", "德米特里·奥尔洛夫", "Dmitry Orlov"), ("Елена Соколова", "叶莲娜·索科洛娃", "Elena Sokolova"),
    ("Игорь Волков", "伊戈尔·沃尔科夫", "Igor Volkov"), ("Мария Лебедева", "玛丽亚·列别杰娃", "Maria Lebedeva"),
    ("Сергей Морозов", "谢尔盖·莫罗佐夫", "Sergei Morozov"), ("Ольга Новикова", "奥尔加·诺维科娃", "Olga Novikova"),
    ("Павел Зайцев", "帕维尔·扎伊采夫", "Pavel Zaitsev"), ("Татьяна Павлова", "塔季扬娜·帕夫洛娃", "Tatiana Pavlova"),
]
CN_PEOPLE = [
    ("王明", "Ван Мин", "Wang Ming"), ("李娜", "Ли На", "Li Na"), ("张伟", "Чжан Вэй", "Zhang Wei"),
    ("刘洋", "Лю Ян", "Liu Yang"), ("陈静", "Чэнь Цзин", "Chen Jing"), ("杨帆", "Ян Фань", "Yang Fan"),
    ("赵雷", "Чжао Лэй", "Zhao Lei"), ("周婷", "Чжоу Тин", "Zhou Ting"), ("吴刚", "У Ган", "Wu Gang"),
    ("孙丽", "Сунь Ли", "Sun Li"),
]

PLACES = [("в Москве", "在莫斯科", "in Moscow"), ("на Байкале", "在贝加尔湖畔", "on Lake Baikal"), ("в Шанхае", "在上海", "in Shanghai"),
          ("в Харбине", "在哈尔滨", "in Harbin"), ("во Владивостоке", "在符拉迪沃斯托克", "in Vladivostok"), ("в Пекине", "在北京", "in Beijing"),
          ("в Санкт-Петербурге", "在圣彼得堡", "in Saint Petersburg"), ("в Чунцине", "在重庆", "in Chongqing")]
PLOTS = [
    ("Молодой инженер возвращается домой {place} и узнаёт семейную тайну.", "一位年轻工程师回到家乡{place}，发现了一个家族秘密。", "A young engineer returns home {place} and uncovers a family secret."),
    ("Два старых друга встречаются {place} спустя двадцать лет.", "两位老朋友二十年后{place}重逢。", "Two old friends meet again {place} after twenty years."),
    ("Следователь распутывает странное дело {place}.", "一名侦探{place}调查一桩离奇的案件。", "A detective unravels a strange case {place}."),
    ("Семья держит маленький ресторан {place} и мечтает о большем.", "一家人{place}经营一家小饭馆，梦想着更大的未来。", "A family runs a small restaurant {place} and dreams of more."),
    ("Спортсменка готовится к главному старту своей жизни {place}.", "一名女运动员{place}为人生中最重要的比赛做准备。", "An athlete prepares for the race of her life {place}."),
    ("Музыкант ищет утраченную песню своего деда {place}.", "一位音乐家{place}寻找祖父失传的歌曲。", "A musician searches {place} for his grandfather's lost song."),
]
