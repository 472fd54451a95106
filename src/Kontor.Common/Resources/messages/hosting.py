# Messages of Kontor.Web/Hosting: Identity's refusals of a user (IdentityMessages), shown as field errors of the user an
# administrator creates. The English is ASP.NET Core Identity's own. key: (pl, ru)
M = {
"An unknown failure has occurred.": ("Wystąpił nieznany błąd.", "Произошла неизвестная ошибка."),
"Optimistic concurrency failure, object has been modified.": ("Ktoś inny zmienił ten rekord w międzyczasie; wczytaj go ponownie i spróbuj jeszcze raz.", "Запись тем временем изменил кто-то другой; загрузите её заново и попробуйте ещё раз."),
"Username '{0}' is invalid, can only contain letters or digits.": ("Nazwa użytkownika '{0}' jest nieprawidłowa: może zawierać tylko litery łacińskie, cyfry i znaki - . _ @ +.", "Имя пользователя '{0}' недопустимо: оно может содержать только латинские буквы, цифры и знаки - . _ @ +."),
"Email '{0}' is invalid.": ("Adres e-mail '{0}' jest nieprawidłowy.", "Адрес электронной почты '{0}' недопустим."),
"Username '{0}' is already taken.": ("Nazwa użytkownika '{0}' jest już zajęta.", "Имя пользователя '{0}' уже занято."),
"Email '{0}' is already taken.": ("Adres e-mail '{0}' jest już zajęty.", "Адрес электронной почты '{0}' уже занят."),
"Passwords must be at least {0} characters.": ("Hasło musi mieć co najmniej {0} znaków.", "Пароль должен содержать не менее {0} символов."),
"Passwords must use at least {0} different characters.": ("Hasło musi zawierać co najmniej {0} różnych znaków.", "Пароль должен содержать не менее {0} различных символов."),
"Passwords must have at least one non alphanumeric character.": ("Hasło musi zawierać co najmniej jeden znak, który nie jest literą ani cyfrą.", "Пароль должен содержать хотя бы один символ, не являющийся буквой или цифрой."),
"Passwords must have at least one digit ('0'-'9').": ("Hasło musi zawierać co najmniej jedną cyfrę ('0'-'9').", "Пароль должен содержать хотя бы одну цифру ('0'-'9')."),
"Passwords must have at least one lowercase ('a'-'z').": ("Hasło musi zawierać co najmniej jedną małą literę ('a'-'z').", "Пароль должен содержать хотя бы одну строчную букву ('a'-'z')."),
"Passwords must have at least one uppercase ('A'-'Z').": ("Hasło musi zawierać co najmniej jedną wielką literę ('A'-'Z').", "Пароль должен содержать хотя бы одну заглавную букву ('A'-'Z')."),
}
