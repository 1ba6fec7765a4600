# mrsweep external estimator client, protocol version 1 (docs/external-protocol.md). Base R only.
#
# Copy this file next to your method, source() it and call mrsweep_serve(fit): mrsweep starts your
# script once per worker thread and sends it one task per dataset. fit(task) gets a list with n,
# seed, data_seed, roles (outcome, exposure, instruments, context: column names) and columns (a
# named list of numeric vectors), and returns a list with any of estimate, se, ci_lower, ci_upper,
# p (numbers; NA for missing), status (default "ok"), message and extras (a named list of numbers
# whose names the sweep configuration declares). An error in fit becomes a failed row with its
# message; the process keeps serving. While serving, printed output goes to standard error
# (standard output carries the protocol); what a script writes there shows up in mrsweep's message
# when its process fails.

# --- a small JSON reader for the task header -------------------------------------------------------

.mrsweep_tokens <- function(text) {
  pattern <- '"(\\\\.|[^"\\\\])*"|-?[0-9][0-9.eE+-]*|true|false|null|[][{}:,]'
  regmatches(text, gregexpr(pattern, text, perl = TRUE))[[1]]
}

.mrsweep_string <- function(token) {
  s <- substr(token, 2L, nchar(token) - 1L)
  if (!grepl("\\", s, fixed = TRUE)) return(s)
  eval(parse(text = paste0('"', gsub("\\/", "/", s, fixed = TRUE), '"')))
}

.mrsweep_parse <- function(text) {
  tokens <- .mrsweep_tokens(text)
  at <- 1L
  value <- function() {
    t <- tokens[at]
    at <<- at + 1L
    if (t == "{") {
      out <- list()
      if (tokens[at] == "}") { at <<- at + 1L; return(out) }
      repeat {
        key <- .mrsweep_string(tokens[at])
        at <<- at + 2L
        v <- value()
        out[key] <- list(v)
        t <- tokens[at]
        at <<- at + 1L
        if (t == "}") return(out)
      }
    }
    if (t == "[") {
      out <- list()
      if (tokens[at] == "]") { at <<- at + 1L; return(out) }
      repeat {
        out[length(out) + 1L] <- list(value())
        t <- tokens[at]
        at <<- at + 1L
        if (t == "]") return(out)
      }
    }
    if (startsWith(t, '"')) return(.mrsweep_string(t))
    if (t == "true") return(TRUE)
    if (t == "false") return(FALSE)
    if (t == "null") return(NULL)
    as.numeric(t)
  }
  value()
}

# --- writing the reply -----------------------------------------------------------------------------

.mrsweep_number <- function(x) {
  x <- suppressWarnings(as.numeric(x))
  if (length(x) != 1L || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}

.mrsweep_quote <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub('"', '\\"', s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("[[:cntrl:]]", " ", s)
  paste0('"', s, '"')
}

.mrsweep_reply <- function(id, result) {
  fields <- sprintf('"id":%s', .mrsweep_number(id))
  for (key in c("estimate", "se", "ci_lower", "ci_upper", "p")) {
    if (!is.null(result[[key]])) fields <- c(fields, sprintf('"%s":%s', key, .mrsweep_number(result[[key]])))
  }
  for (key in c("status", "message")) {
    if (!is.null(result[[key]])) fields <- c(fields, sprintf('"%s":%s', key, .mrsweep_quote(as.character(result[[key]]))))
  }
  if (length(result$extras) > 0L) {
    extras <- vapply(names(result$extras), function(k) paste0(.mrsweep_quote(k), ":", .mrsweep_number(result$extras[[k]])), "")
    fields <- c(fields, paste0('"extras":{', paste(extras, collapse = ","), "}"))
  }
  paste0("{", paste(fields, collapse = ","), "}")
}

# --- the loop --------------------------------------------------------------------------------------

.mrsweep_read_task <- function(input) {
  line <- readLines(input, n = 1L, warn = FALSE)
  if (length(line) == 0L) return(NULL)
  header <- .mrsweep_parse(line)
  columns <- list()
  for (name in unlist(header$columns)) {
    count <- readBin(input, "integer", n = 1L, size = 4L, endian = "little")
    if (length(count) == 0L) return(NULL)
    values <- readBin(input, "double", n = count, size = 8L, endian = "little")
    if (length(values) < count) return(NULL)
    columns[[name]] <- values
  }
  roles <- header$roles
  list(
    id = header$id, n = header$n, seed = header$seed, data_seed = header$data_seed,
    roles = list(
      outcome = roles$outcome, exposure = roles$exposure,
      instruments = unlist(roles$instruments), context = unlist(roles$context)
    ),
    columns = columns
  )
}

#' The instruments of a task as an n x L matrix.
mrsweep_instruments <- function(task) {
  do.call(cbind, task$columns[task$roles$instruments])
}

#' Answers tasks with fit until mrsweep closes standard input.
mrsweep_serve <- function(fit) {
  input <- file("stdin", open = "rb")
  # Printed output goes to standard error while fit runs; the sink is lifted only to write the
  # protocol's lines to standard output.
  sink(stderr())
  on.exit(sink())
  send <- function(text) {
    sink()
    cat(text, "\n", sep = "")
    flush(stdout())
    sink(stderr())
  }
  send('{"protocol":"mrsweep-external","version":1}')
  repeat {
    task <- .mrsweep_read_task(input)
    if (is.null(task)) break
    reply <- tryCatch(
      .mrsweep_reply(task$id, fit(task)),
      error = function(e) .mrsweep_reply(task$id, list(status = "failed", message = conditionMessage(e)))
    )
    send(reply)
  }
  invisible(NULL)
}
