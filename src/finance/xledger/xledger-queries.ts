/*
 * The GraphQL the adapter sends, in the shapes Xledger's public clients use: `companies` by
 * `companyNumber` and `customers` by `companyDbId` (FINTLabs/fint-xledger-adapter), the customer's
 * ledger through `arTransactions` by `subledgerDbId` with cursor paging, `salesOrders` by
 * `invoiceNumber` for the lines, and `updateArTransactions(inputs: { node })` for the due date
 * (Bostads-AB-Mimer/onecore). Values always travel as variables, never spliced into the text.
 */

/** A person is a "company" in Xledger whose companyNumber is the fødselsnummer. */
export const COMPANIES_BY_NUMBER = `query ($companyNumber: String!) {
  companies(first: 10, filter: { companyNumber: $companyNumber }) {
    edges { node { dbId } }
  }
}`;

export const CUSTOMERS_OF_COMPANY = `query ($companyDbId: Int!) {
  customers(first: 10, filter: { companyDbId: $companyDbId }) {
    edges { node { dbId description } }
  }
}`;

export const LEDGER_PAGE_SIZE = 100;

/** Invoices and the payments settling them (same matchId) are rows of one customer ledger. */
export const LEDGER_PAGE = `query ($subledgerDbId: Int!, $after: String) {
  arTransactions(first: ${LEDGER_PAGE_SIZE}, after: $after, filter: { subledgerDbId: $subledgerDbId }) {
    edges {
      cursor
      node {
        dbId subledgerDbId invoiceNumber invoiceDate dueDate invoiceAmount invoiceRemaining
        paymentReference matchId text reminderDate interest lateFee bankAccount paymentDate
        paymentStatus { name }
        transactionHeader { postedDate transactionSource { code } }
      }
    }
    pageInfo { hasNextPage }
  }
}`;

export const SALES_ORDER_LINES = `query ($invoiceNumber: String!, $subledgerDbId: Int!) {
  salesOrders(first: 2, filter: { invoiceNumber: $invoiceNumber, subledgerDbId: $subledgerDbId }) {
    edges {
      node {
        invoiceNumber
        details { lineNumber text quantity unit unitPrice amount taxAmount product { code description } }
      }
    }
  }
}`;

export const UPDATE_DUE_DATE = `mutation ($dbId: Int!, $dueDate: DateString!, $text: String!) {
  updateArTransactions(inputs: { node: { dbId: $dbId, dueDate: $dueDate, deferredDueDate: $dueDate, text: $text } }) {
    edges { node { dbId } }
  }
}`;
