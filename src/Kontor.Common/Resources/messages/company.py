# Messages of Kontor.Core/Company (company settings, bank accounts, document templates, logo). key: (pl, ru)
M = {
"countryCode must be a two-letter ISO 3166 code.": ("Kraj musi być dwuliterowym kodem ISO 3166.", "Страна должна быть указана двухбуквенным кодом ISO 3166."),
"defaultPaymentTermDays must be between 0 and 365.": ("Termin płatności musi wynosić od 0 do 365 dni.", "Срок оплаты должен быть от 0 до 365 дней."),
"creditOverdueDaysThreshold must be between 0 and 3650 days.": ("Liczba dni przeterminowania do blokady kredytowej musi wynosić od 0 do 3650.", "Число дней просрочки до кредитной блокировки должно быть от 0 до 3650."),
"{0}: '{1}' is not an ISO 4217 currency code.": ("'{1}' nie jest kodem waluty ISO 4217.", "'{1}' не является кодом валюты ISO 4217."),
"The company settings were changed by someone else in the meantime; reload them and apply your change again.": ("Ktoś inny zmienił w międzyczasie ustawienia firmy; wczytaj je ponownie i wprowadź swoją zmianę jeszcze raz.", "Настройки компании тем временем изменил кто-то другой; загрузите их заново и внесите изменение ещё раз."),
"The base currency cannot change from {0} once a document has been issued: the books and every posted amount are kept in it.": ("Po wystawieniu pierwszego dokumentu nie można zmienić waluty bazowej {0}: w niej prowadzone są księgi i zaksięgowane kwoty.", "После выставления первого документа базовую валюту {0} изменить нельзя: в ней ведутся книги и все проведённые суммы."),
"The account {0} is already on the list.": ("Rachunek {0} jest już na liście.", "Счёт {0} уже есть в списке."),
"Another account already has the statement account id {0}.": ("Inny rachunek ma już identyfikator rachunku na wyciągu {0}.", "У другого счёта уже есть идентификатор счёта в выписке {0}."),
"At most {0} bank accounts can be kept.": ("Można zapisać najwyżej {0} rachunków bankowych.", "Можно хранить не более {0} банковских счетов."),
"{0} is the default {1} account; make another {2} account the default first.": ("{0} jest domyślnym rachunkiem w {1}; najpierw ustaw jako domyślny inny rachunek w {2}.", "{0} — основной счёт в {1}; сначала сделайте основным другой счёт в {2}."),
"documentType must be one of: {0}.": ("Rodzaj dokumentu musi być jednym z: {0}.", "Тип документа должен быть одним из: {0}."),
"accentColor is a colour written #RRGGBB, e.g. #1F4E79.": ("Kolor akcentu podaje się w postaci #RRGGBB, np. #1F4E79.", "Цвет акцента указывается в виде #RRGGBB, напр. #1F4E79."),
"logo is required: a PNG or JPEG file.": ("Wybierz logo: plik PNG lub JPEG.", "Выберите логотип: файл PNG или JPEG."),
"logo is {0} KB; at most {1} KB is accepted.": ("Logo ma {0} KB; dopuszczalne jest najwyżej {1} KB.", "Логотип занимает {0} КБ; допускается не более {1} КБ."),
"logo is not a PNG or JPEG image that can be read.": ("Logo nie jest czytelnym obrazem PNG ani JPEG.", "Логотип не является читаемым изображением PNG или JPEG."),
"logo is {0}×{1} pixels; at most {2} a side is accepted.": ("Logo ma {0}×{1} pikseli; dopuszczalne jest najwyżej {2} pikseli na bok.", "Логотип имеет размер {0}×{1} пикселей; допускается не более {2} пикселей по стороне."),
# src/Kontor.Common/TaxIdentifiers.cs (the company's and a party's tax id)
"Tax identifier must be at most {0} characters": ("Identyfikator podatkowy może mieć najwyżej {0} znaków", "Налоговый идентификатор может содержать не более {0} символов"),
}
