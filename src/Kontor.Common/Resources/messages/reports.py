# Messages of Kontor.Core/Reports, Kontor.Core/CustomerCard and Kontor.Core/Documents. key: (pl, ru)
M = {
# Reports
"from is required.": ("Data początkowa jest wymagana.", "Начальная дата обязательна."),
"to is required.": ("Data końcowa jest wymagana.", "Конечная дата обязательна."),
"to must not be before from.": ("Data końcowa nie może być wcześniejsza niż początkowa.", "Конечная дата не может быть раньше начальной."),
"account is required.": ("Wybierz konto.", "Выберите счёт."),
"The period has more than {0:#,0} lines on account {1}; choose a shorter period or export the journal.": ("Okres ma na koncie {1} więcej niż {0:#,0} zapisów; wybierz krótszy okres albo wyeksportuj dziennik.", "За период по счёту {1} больше {0:#,0} проводок; выберите период короче или выгрузите журнал."),
# Customer card
"Unknown kind '{0}'; use {1}.": ("Nieznany rodzaj '{0}'; dostępne: {1}.", "Неизвестный вид '{0}'; допустимые: {1}."),
"before must be the nextBefore of a previous page or an ISO 8601 instant.": ("Nieprawidłowy punkt początkowy strony: podaj wartość z poprzedniej strony albo moment w formacie ISO 8601.", "Неверная точка начала страницы: укажите значение с предыдущей страницы или момент времени в формате ISO 8601."),
# Documents
"'{0}' is not a document language; use one of: pl, en, ru.": ("'{0}' nie jest językiem dokumentu; wybierz pl, en albo ru.", "'{0}' — не язык документа; выберите pl, en или ru."),
}
