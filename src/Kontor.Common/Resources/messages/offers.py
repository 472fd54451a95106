# Messages of Kontor.Core/Offers, Kontor.Core/Recurring, Kontor.Core/Persistence and Kontor.Core/Outbox. key: (pl, ru)
M = {
# Offers
"An offer is required.": ("Brak danych oferty.", "Не переданы данные предложения."),
"Offer {0} was sent and can no longer be changed; make a new offer instead.": ("Oferta {0} została wysłana i nie można jej już zmienić; utwórz nową ofertę.", "Предложение {0} отправлено, изменить его уже нельзя; создайте новое предложение."),
"An offer needs at least one line before it can be sent.": ("Oferta musi mieć co najmniej jedną pozycję, zanim zostanie wysłana.", "Перед отправкой в предложении должна быть хотя бы одна строка."),
"validUntil ({0:yyyy-MM-dd}) has passed; set a later date before sending.": ("Termin ważności ({0:yyyy-MM-dd}) już minął; przed wysłaniem ustaw późniejszą datę.", "Срок действия ({0:yyyy-MM-dd}) истёк; перед отправкой укажите более позднюю дату."),
"validUntil cannot be in the past.": ("Termin ważności nie może być w przeszłości.", "Срок действия не может быть в прошлом."),
"validUntil can be at most a year ahead.": ("Termin ważności może przypadać najwyżej za rok.", "Срок действия — не более чем на год вперёд."),
"Offer {0} was already converted into {1} {2} (id {3}).": ("Oferta {0} została już przekształcona w dokument {2} (id {3}).", "Предложение {0} уже преобразовано в документ {2} (id {3})."),
# OfferService.RequireState: the state and the step are said by the words below, which fit both "ma status: …" and
# "może zostać …" (Russian: «…» and "может быть …"), the way the offer's own states read in the UI
"Offer {0} is {1}; only a {2} offer can be {3}.": ("Oferta {0} ma status: {1}; tylko oferta o statusie: {2} może zostać {3}.", "Предложение {0} в статусе «{1}»; только предложение в статусе «{2}» может быть {3}."),
"Offer {0} expired on {1:yyyy-MM-dd} and cannot be {2}.": ("Oferta {0} wygasła {1:yyyy-MM-dd} i nie może zostać {2}.", "Срок действия предложения {0} истёк {1:yyyy-MM-dd}; оно не может быть {2}."),
"draft": ("szkic", "черновик"),
"sent": ("wysłana", "отправлено"),
"accepted": ("zaakceptowana", "принято"),
"rejected": ("odrzucona", "отклонено"),
"expired": ("wygasła", "истекло"),
"converted into an invoice": ("przekształcona w fakturę", "преобразовано в счёт-фактуру"),
"converted into a pro forma": ("przekształcona w fakturę pro forma", "преобразовано в проформу"),
"converted into an order": ("przekształcona w zamówienie", "преобразовано в заказ"),
# Recurring invoices
"The recurring schedule was deleted and can no longer be changed.": ("Faktura cykliczna została usunięta i nie można jej już zmienić.", "Периодический счёт удалён, изменить его уже нельзя."),
"A recurring schedule is required.": ("Brak danych faktury cyklicznej.", "Не переданы данные периодического счёта."),
"frequency must be Monthly, Quarterly, Yearly or EveryNDays.": ("Częstotliwość: co miesiąc, co kwartał, co rok albo co N dni.", "Периодичность: ежемесячно, ежеквартально, ежегодно или каждые N дней."),
"startDate is required.": ("Data początkowa jest wymagana.", "Дата начала обязательна."),
"startDate must be between 2000 and 2200.": ("Data początkowa musi przypadać między rokiem 2000 a 2200.", "Дата начала должна быть между 2000 и 2200 годом."),
"endDate cannot be before startDate.": ("Data końcowa nie może być wcześniejsza niż data początkowa.", "Дата окончания не может быть раньше даты начала."),
"endDate must be before 2201.": ("Data końcowa musi przypadać przed rokiem 2201.", "Дата окончания должна быть раньше 2201 года."),
"intervalDays is required for EveryNDays and must be between 1 and {0}.": ("Przy częstotliwości co N dni podaj liczbę dni od 1 do {0}.", "Для периодичности «каждые N дней» укажите число дней от 1 до {0}."),
"dayOfMonth applies to Monthly, Quarterly and Yearly only.": ("Dzień miesiąca podaje się tylko przy częstotliwości co miesiąc, co kwartał lub co rok.", "День месяца указывается только для ежемесячной, ежеквартальной или ежегодной периодичности."),
"dayOfMonth must be between 1 and 31.": ("Dzień miesiąca musi wynosić od 1 do 31.", "День месяца должен быть от 1 до 31."),
"intervalDays applies to EveryNDays only.": ("Liczbę dni podaje się tylko przy częstotliwości co N dni.", "Число дней указывается только для периодичности «каждые N дней»."),
"A recurring invoice needs at least one line.": ("Faktura cykliczna musi mieć co najmniej jedną pozycję.", "В периодическом счёте должна быть хотя бы одна строка."),
"The invoice total must be greater than zero.": ("Wartość faktury musi być większa od zera.", "Сумма счёта-фактуры должна быть больше нуля."),
# What the database refuses whoever writes (KontorDbContext)
"An issued invoice cannot be changed or deleted; issue a correction invoice instead.": ("Wystawionej faktury nie można zmienić ani usunąć; wystaw fakturę korygującą.", "Выставленный счёт-фактуру нельзя изменить или удалить; выставьте корректировочный счёт-фактуру."),
"This party was merged into another one and is read-only; work with the party it was merged into.": ("Ten kontrahent został scalony z innym i jest tylko do odczytu; pracuj na kontrahencie, z którym go scalono.", "Этот контрагент объединён с другим и доступен только для чтения; работайте с контрагентом, с которым его объединили."),
"The party was merged into another one and is kept for history only; use the party it was merged into.": ("Kontrahent został scalony z innym i pozostaje tylko w historii; użyj kontrahenta, z którym go scalono.", "Контрагент объединён с другим и хранится только для истории; используйте контрагента, с которым его объединили."),
"A posted stock document cannot be changed or deleted; correct it with a new document.": ("Zaksięgowanego dokumentu magazynowego nie można zmienić ani usunąć; skoryguj go nowym dokumentem.", "Проведённый складской документ нельзя изменить или удалить; исправьте его новым документом."),
"A booked purchase invoice cannot be changed or deleted; enter a correction instead.": ("Zaksięgowanej faktury zakupu nie można zmienić ani usunąć; wprowadź korektę.", "Проведённый счёт поставщика нельзя изменить или удалить; внесите корректировку."),
# Outbox
"Outbox message": ("Wiadomość w skrzynce nadawczej", "Исходящее сообщение"),
"The message was sent already; nothing to replay.": ("Wiadomość została już wysłana; nie ma czego ponawiać.", "Сообщение уже отправлено; повторять нечего."),
}
