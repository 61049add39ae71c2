/** `payments help`: the commands, the connection, and the exit codes scripts rely on (keep in step with exit-codes.ts). */
export const HELP = `payments: the merchant's payments, over the companion's operations API.

Usage: payments <command> [arguments] [flags]

Commands:
  list [--order ID] [--status S] [--method M] [--gateway G] [--from WHEN] [--to WHEN]
       [--limit N] [--cursor C] [--all]
                                 Payments, newest first (20 a page; --limit 1-100). --from is inclusive,
                                 --to exclusive. WHEN is a date, taken as 00:00 UTC that day (--from
                                 2031-02-01 --to 2031-02-02: that day in UTC), or a date-time with Z or
                                 an offset (2031-02-01T00:00:00+07:00: from midnight in Bangkok).
                                 --cursor reads the next page; --all reads every page.
  show <id>                      The payment, what may be done with it now, and its timeline.
  refund <id> [--amount 12.50] [--reason TEXT]
                                 Refund all that may be refunded (what is left; all but 0.01 of an
                                 instalment payment the gateway refunds only in part), or --amount
                                 in the payment's currency.
  void <id> [--reason TEXT]      Void a paid payment while its gateway still allows it (before settlement,
                                 or within the method's void window).
  settle <id> [--amount 12.50]   Settle a paid card payment: the whole amount, or part of it.
  capture <id>                   Capture an authorised charge created without capture.
  reverse <id>                   Release an authorised charge without capturing it.
  expire <id>                    End a pending charge early at its gateway.
  cancel <id>                    Cancel an unpaid payment where its gateway allows it.
  check <id>                     Ask the gateway now and apply what it answers.
  reconcile                      Run the reconciler once: ask about every live payment due.
  help                           This text (also --help, -h).

refund, void, settle, capture, reverse, expire and cancel also take --idempotency-key KEY (1-255 visible ASCII characters): the same
command sent again with the same KEY is answered with what the first did, never done twice. Without it each
command gets a new key, and says which when its answer was lost: run the command again with that key to learn
whether it happened.

What a payment allows now, and why not, is in \`payments show <id>\` (Operations).
Amounts are in major units of the payment's currency (12.50 THB is 1250 satang; JPY takes no decimals);
an amount with too many decimals, or not above 0, is refused before anything is sent.

Flags for every command:
  --url URL       The operations API, e.g. http://127.0.0.1:3000/operations (or PAYMENTS_API_URL).
  --token TOKEN   An operations token (or PAYMENTS_API_TOKEN; prefer the variable: flags show in ps).
                  A token that starts with - is given as --token=TOKEN.
  --json          Print the API's JSON answer exactly, for scripts (list --all: one page of every payment).
                  Without it, control characters in what the API says (reasons, messages) are shown
                  escaped, as JSON writes them (\\u001b, \\n), never passed to the terminal.

Exit codes:
  0  done
  1  anything else (the API found the request malformed, an unreadable answer)
  2  usage error: bad command, flags or arguments; no operation was sent
  3  unauthorized (401): no token, or a token the companion does not know
  4  not found (404): no such payment
  5  refused (409): our rules (operation_not_allowed) or the gateway (operation_refused, with its code
     and message) refused the operation, or its --idempotency-key names another request or one still
     running (idempotency_conflict)
  6  the gateway did not answer (502), the companion failed (5xx) or could not be reached (an operation whose
     connection was lost after it was sent may have happened: see \`payments show\`)
Errors go to stderr with the API's code and message.
`;
