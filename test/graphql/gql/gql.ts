/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation AddSource($input: AddSourceInput!) {\n    addSource(input: $input) {\n      source { id slug name url language intervalMinutes origin enabled topics { slug } health { lastFetchedAt itemCount } }\n    }\n  }\n": typeof types.AddSourceDocument,
    "\n  mutation UpdateSource($input: UpdateSourceInput!) {\n    updateSource(input: $input) { source { slug name url language intervalMinutes topics { slug } } }\n  }\n": typeof types.UpdateSourceDocument,
    "\n  mutation RemoveSource($input: RemoveSourceInput!) {\n    removeSource(input: $input) { removedSourceId slug }\n  }\n": typeof types.RemoveSourceDocument,
    "\n  mutation RefreshSource($input: RefreshSourceInput!) {\n    refreshSource(input: $input) {\n      poll { outcome status fetched newArticles updatedArticles error }\n      source { slug health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount } articles(first: 5) { totalCount edges { node { title source { slug } } } } }\n    }\n  }\n": typeof types.RefreshSourceDocument,
    "\n  query SourceBySlug($slug: String!) {\n    source(slug: $slug) { slug origin enabled }\n    sources { slug }\n  }\n": typeof types.SourceBySlugDocument,
    "\n  query ArticlesPage($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          publishedAt\n          source { slug }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.ArticlesPageDocument,
    "\n  query ArticlesCount($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) { totalCount }\n  }\n": typeof types.ArticlesCountDocument,
    "\n  query ArticleDetail($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) {\n      edges {\n        node {\n          id\n          title\n          link\n          summary\n          contentHtml\n          author\n          imageUrl\n          originalOutlet\n          publishedAt\n          fetchedAt\n          source { slug name }\n          sources { slug }\n          topics { slug }\n          story { id headline articleCount firstSeenAt lastSeenAt articles { id } sources { slug } topics { slug } }\n        }\n      }\n    }\n  }\n": typeof types.ArticleDetailDocument,
    "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n      ... on Article { title }\n      ... on Source { slug }\n      ... on Topic { slug }\n      ... on Story { headline }\n    }\n  }\n": typeof types.NodeLookupDocument,
    "\n    query Catalog {\n      topics { id slug name articleCount articles(first: 2) { totalCount edges { node { title } } } }\n      sources {\n        slug name url siteUrl language origin enabled intervalMinutes\n        topics { slug }\n        health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount }\n        articles(first: 1, filter: { search: \"số 1*\" }) { totalCount edges { node { title } } pageInfo { hasNextPage } }\n      }\n      topic(slug: \"cong-nghe\") { name articles(first: 3, filter: { sources: [\"thanhnien\"] }) { edges { node { title } } } }\n      source(slug: \"nope\") { slug }\n    }\n  ": typeof types.CatalogDocument,
    "\n  query Everything {\n    articles(first: 100) {\n      totalCount\n      edges { node { id title link publishedAt contentHtml summary imageUrl source { slug } sources { slug } topics { slug } story { id } } }\n    }\n  }\n": typeof types.EverythingDocument,
    "\n  query StoriesAbout($search: String!) {\n    stories(filter: { search: $search }) {\n      edges { node { headline articleCount sources { slug } articles { title source { slug } } } }\n    }\n  }\n": typeof types.StoriesAboutDocument,
    "\n  query TopicSlugs {\n    topics { slug }\n  }\n": typeof types.TopicSlugsDocument,
    "\n  query BigPage($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          title\n          source { slug name health { itemCount } topics { slug } }\n          sources { slug name }\n          topics { slug name articleCount }\n          story {\n            id\n            headline\n            articles { id title source { slug } }\n            sources { slug }\n            topics { slug }\n          }\n        }\n      }\n    }\n  }\n": typeof types.BigPageDocument,
    "\n  query NestedLists {\n    sources {\n      slug\n      topics { slug }\n      articles(first: 5) { totalCount pageInfo { hasPreviousPage } edges { node { title topics { slug } story { headline } } } }\n    }\n    topics { slug articles(first: 3, filter: { search: \"số\" }) { totalCount edges { node { title sources { slug } } } } }\n  }\n": typeof types.NestedListsDocument,
    "\n  query SearchPage($filter: ArticleFilter, $orderBy: ArticleOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { id title publishedAt } }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n": typeof types.SearchPageDocument,
    "\n  query SearchStories($filter: ArticleFilter) {\n    stories(filter: $filter, first: 10) { edges { node { headline } } }\n  }\n": typeof types.SearchStoriesDocument,
    "\n  query StoriesPage($filter: ArticleFilter, $first: Int, $after: String) {\n    stories(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          headline\n          articleCount\n          firstSeenAt\n          lastSeenAt\n          articles { title publishedAt source { slug } }\n          sources { slug name }\n          topics { slug }\n        }\n      }\n    }\n  }\n": typeof types.StoriesPageDocument,
    "\n  query StoryNode($id: ID!) {\n    node(id: $id) { id ... on Story { headline articleCount } }\n  }\n": typeof types.StoryNodeDocument,
    "\n  subscription ArticleAdded($filter: ArticleFilter) {\n    articleAdded(filter: $filter) { id title publishedAt source { slug } topics { slug } }\n  }\n": typeof types.ArticleAddedDocument,
};
const documents: Documents = {
    "\n  mutation AddSource($input: AddSourceInput!) {\n    addSource(input: $input) {\n      source { id slug name url language intervalMinutes origin enabled topics { slug } health { lastFetchedAt itemCount } }\n    }\n  }\n": types.AddSourceDocument,
    "\n  mutation UpdateSource($input: UpdateSourceInput!) {\n    updateSource(input: $input) { source { slug name url language intervalMinutes topics { slug } } }\n  }\n": types.UpdateSourceDocument,
    "\n  mutation RemoveSource($input: RemoveSourceInput!) {\n    removeSource(input: $input) { removedSourceId slug }\n  }\n": types.RemoveSourceDocument,
    "\n  mutation RefreshSource($input: RefreshSourceInput!) {\n    refreshSource(input: $input) {\n      poll { outcome status fetched newArticles updatedArticles error }\n      source { slug health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount } articles(first: 5) { totalCount edges { node { title source { slug } } } } }\n    }\n  }\n": types.RefreshSourceDocument,
    "\n  query SourceBySlug($slug: String!) {\n    source(slug: $slug) { slug origin enabled }\n    sources { slug }\n  }\n": types.SourceBySlugDocument,
    "\n  query ArticlesPage($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          publishedAt\n          source { slug }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.ArticlesPageDocument,
    "\n  query ArticlesCount($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) { totalCount }\n  }\n": types.ArticlesCountDocument,
    "\n  query ArticleDetail($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) {\n      edges {\n        node {\n          id\n          title\n          link\n          summary\n          contentHtml\n          author\n          imageUrl\n          originalOutlet\n          publishedAt\n          fetchedAt\n          source { slug name }\n          sources { slug }\n          topics { slug }\n          story { id headline articleCount firstSeenAt lastSeenAt articles { id } sources { slug } topics { slug } }\n        }\n      }\n    }\n  }\n": types.ArticleDetailDocument,
    "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n      ... on Article { title }\n      ... on Source { slug }\n      ... on Topic { slug }\n      ... on Story { headline }\n    }\n  }\n": types.NodeLookupDocument,
    "\n    query Catalog {\n      topics { id slug name articleCount articles(first: 2) { totalCount edges { node { title } } } }\n      sources {\n        slug name url siteUrl language origin enabled intervalMinutes\n        topics { slug }\n        health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount }\n        articles(first: 1, filter: { search: \"số 1*\" }) { totalCount edges { node { title } } pageInfo { hasNextPage } }\n      }\n      topic(slug: \"cong-nghe\") { name articles(first: 3, filter: { sources: [\"thanhnien\"] }) { edges { node { title } } } }\n      source(slug: \"nope\") { slug }\n    }\n  ": types.CatalogDocument,
    "\n  query Everything {\n    articles(first: 100) {\n      totalCount\n      edges { node { id title link publishedAt contentHtml summary imageUrl source { slug } sources { slug } topics { slug } story { id } } }\n    }\n  }\n": types.EverythingDocument,
    "\n  query StoriesAbout($search: String!) {\n    stories(filter: { search: $search }) {\n      edges { node { headline articleCount sources { slug } articles { title source { slug } } } }\n    }\n  }\n": types.StoriesAboutDocument,
    "\n  query TopicSlugs {\n    topics { slug }\n  }\n": types.TopicSlugsDocument,
    "\n  query BigPage($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          title\n          source { slug name health { itemCount } topics { slug } }\n          sources { slug name }\n          topics { slug name articleCount }\n          story {\n            id\n            headline\n            articles { id title source { slug } }\n            sources { slug }\n            topics { slug }\n          }\n        }\n      }\n    }\n  }\n": types.BigPageDocument,
    "\n  query NestedLists {\n    sources {\n      slug\n      topics { slug }\n      articles(first: 5) { totalCount pageInfo { hasPreviousPage } edges { node { title topics { slug } story { headline } } } }\n    }\n    topics { slug articles(first: 3, filter: { search: \"số\" }) { totalCount edges { node { title sources { slug } } } } }\n  }\n": types.NestedListsDocument,
    "\n  query SearchPage($filter: ArticleFilter, $orderBy: ArticleOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { id title publishedAt } }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n": types.SearchPageDocument,
    "\n  query SearchStories($filter: ArticleFilter) {\n    stories(filter: $filter, first: 10) { edges { node { headline } } }\n  }\n": types.SearchStoriesDocument,
    "\n  query StoriesPage($filter: ArticleFilter, $first: Int, $after: String) {\n    stories(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          headline\n          articleCount\n          firstSeenAt\n          lastSeenAt\n          articles { title publishedAt source { slug } }\n          sources { slug name }\n          topics { slug }\n        }\n      }\n    }\n  }\n": types.StoriesPageDocument,
    "\n  query StoryNode($id: ID!) {\n    node(id: $id) { id ... on Story { headline articleCount } }\n  }\n": types.StoryNodeDocument,
    "\n  subscription ArticleAdded($filter: ArticleFilter) {\n    articleAdded(filter: $filter) { id title publishedAt source { slug } topics { slug } }\n  }\n": types.ArticleAddedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSource($input: AddSourceInput!) {\n    addSource(input: $input) {\n      source { id slug name url language intervalMinutes origin enabled topics { slug } health { lastFetchedAt itemCount } }\n    }\n  }\n"): (typeof documents)["\n  mutation AddSource($input: AddSourceInput!) {\n    addSource(input: $input) {\n      source { id slug name url language intervalMinutes origin enabled topics { slug } health { lastFetchedAt itemCount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSource($input: UpdateSourceInput!) {\n    updateSource(input: $input) { source { slug name url language intervalMinutes topics { slug } } }\n  }\n"): (typeof documents)["\n  mutation UpdateSource($input: UpdateSourceInput!) {\n    updateSource(input: $input) { source { slug name url language intervalMinutes topics { slug } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveSource($input: RemoveSourceInput!) {\n    removeSource(input: $input) { removedSourceId slug }\n  }\n"): (typeof documents)["\n  mutation RemoveSource($input: RemoveSourceInput!) {\n    removeSource(input: $input) { removedSourceId slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSource($input: RefreshSourceInput!) {\n    refreshSource(input: $input) {\n      poll { outcome status fetched newArticles updatedArticles error }\n      source { slug health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount } articles(first: 5) { totalCount edges { node { title source { slug } } } } }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSource($input: RefreshSourceInput!) {\n    refreshSource(input: $input) {\n      poll { outcome status fetched newArticles updatedArticles error }\n      source { slug health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount } articles(first: 5) { totalCount edges { node { title source { slug } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SourceBySlug($slug: String!) {\n    source(slug: $slug) { slug origin enabled }\n    sources { slug }\n  }\n"): (typeof documents)["\n  query SourceBySlug($slug: String!) {\n    source(slug: $slug) { slug origin enabled }\n    sources { slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticlesPage($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          publishedAt\n          source { slug }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ArticlesPage($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          publishedAt\n          source { slug }\n        }\n      }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticlesCount($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) { totalCount }\n  }\n"): (typeof documents)["\n  query ArticlesCount($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticleDetail($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) {\n      edges {\n        node {\n          id\n          title\n          link\n          summary\n          contentHtml\n          author\n          imageUrl\n          originalOutlet\n          publishedAt\n          fetchedAt\n          source { slug name }\n          sources { slug }\n          topics { slug }\n          story { id headline articleCount firstSeenAt lastSeenAt articles { id } sources { slug } topics { slug } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArticleDetail($filter: ArticleFilter) {\n    articles(filter: $filter, first: 1) {\n      edges {\n        node {\n          id\n          title\n          link\n          summary\n          contentHtml\n          author\n          imageUrl\n          originalOutlet\n          publishedAt\n          fetchedAt\n          source { slug name }\n          sources { slug }\n          topics { slug }\n          story { id headline articleCount firstSeenAt lastSeenAt articles { id } sources { slug } topics { slug } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n      ... on Article { title }\n      ... on Source { slug }\n      ... on Topic { slug }\n      ... on Story { headline }\n    }\n  }\n"): (typeof documents)["\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n      ... on Article { title }\n      ... on Source { slug }\n      ... on Topic { slug }\n      ... on Story { headline }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Catalog {\n      topics { id slug name articleCount articles(first: 2) { totalCount edges { node { title } } } }\n      sources {\n        slug name url siteUrl language origin enabled intervalMinutes\n        topics { slug }\n        health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount }\n        articles(first: 1, filter: { search: \"số 1*\" }) { totalCount edges { node { title } } pageInfo { hasNextPage } }\n      }\n      topic(slug: \"cong-nghe\") { name articles(first: 3, filter: { sources: [\"thanhnien\"] }) { edges { node { title } } } }\n      source(slug: \"nope\") { slug }\n    }\n  "): (typeof documents)["\n    query Catalog {\n      topics { id slug name articleCount articles(first: 2) { totalCount edges { node { title } } } }\n      sources {\n        slug name url siteUrl language origin enabled intervalMinutes\n        topics { slug }\n        health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount }\n        articles(first: 1, filter: { search: \"số 1*\" }) { totalCount edges { node { title } } pageInfo { hasNextPage } }\n      }\n      topic(slug: \"cong-nghe\") { name articles(first: 3, filter: { sources: [\"thanhnien\"] }) { edges { node { title } } } }\n      source(slug: \"nope\") { slug }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Everything {\n    articles(first: 100) {\n      totalCount\n      edges { node { id title link publishedAt contentHtml summary imageUrl source { slug } sources { slug } topics { slug } story { id } } }\n    }\n  }\n"): (typeof documents)["\n  query Everything {\n    articles(first: 100) {\n      totalCount\n      edges { node { id title link publishedAt contentHtml summary imageUrl source { slug } sources { slug } topics { slug } story { id } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoriesAbout($search: String!) {\n    stories(filter: { search: $search }) {\n      edges { node { headline articleCount sources { slug } articles { title source { slug } } } }\n    }\n  }\n"): (typeof documents)["\n  query StoriesAbout($search: String!) {\n    stories(filter: { search: $search }) {\n      edges { node { headline articleCount sources { slug } articles { title source { slug } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopicSlugs {\n    topics { slug }\n  }\n"): (typeof documents)["\n  query TopicSlugs {\n    topics { slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BigPage($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          title\n          source { slug name health { itemCount } topics { slug } }\n          sources { slug name }\n          topics { slug name articleCount }\n          story {\n            id\n            headline\n            articles { id title source { slug } }\n            sources { slug }\n            topics { slug }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query BigPage($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          title\n          source { slug name health { itemCount } topics { slug } }\n          sources { slug name }\n          topics { slug name articleCount }\n          story {\n            id\n            headline\n            articles { id title source { slug } }\n            sources { slug }\n            topics { slug }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NestedLists {\n    sources {\n      slug\n      topics { slug }\n      articles(first: 5) { totalCount pageInfo { hasPreviousPage } edges { node { title topics { slug } story { headline } } } }\n    }\n    topics { slug articles(first: 3, filter: { search: \"số\" }) { totalCount edges { node { title sources { slug } } } } }\n  }\n"): (typeof documents)["\n  query NestedLists {\n    sources {\n      slug\n      topics { slug }\n      articles(first: 5) { totalCount pageInfo { hasPreviousPage } edges { node { title topics { slug } story { headline } } } }\n    }\n    topics { slug articles(first: 3, filter: { search: \"số\" }) { totalCount edges { node { title sources { slug } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPage($filter: ArticleFilter, $orderBy: ArticleOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { id title publishedAt } }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n"): (typeof documents)["\n  query SearchPage($filter: ArticleFilter, $orderBy: ArticleOrder, $first: Int, $after: String, $last: Int, $before: String) {\n    articles(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges { cursor node { id title publishedAt } }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchStories($filter: ArticleFilter) {\n    stories(filter: $filter, first: 10) { edges { node { headline } } }\n  }\n"): (typeof documents)["\n  query SearchStories($filter: ArticleFilter) {\n    stories(filter: $filter, first: 10) { edges { node { headline } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoriesPage($filter: ArticleFilter, $first: Int, $after: String) {\n    stories(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          headline\n          articleCount\n          firstSeenAt\n          lastSeenAt\n          articles { title publishedAt source { slug } }\n          sources { slug name }\n          topics { slug }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StoriesPage($filter: ArticleFilter, $first: Int, $after: String) {\n    stories(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          headline\n          articleCount\n          firstSeenAt\n          lastSeenAt\n          articles { title publishedAt source { slug } }\n          sources { slug name }\n          topics { slug }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoryNode($id: ID!) {\n    node(id: $id) { id ... on Story { headline articleCount } }\n  }\n"): (typeof documents)["\n  query StoryNode($id: ID!) {\n    node(id: $id) { id ... on Story { headline articleCount } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ArticleAdded($filter: ArticleFilter) {\n    articleAdded(filter: $filter) { id title publishedAt source { slug } topics { slug } }\n  }\n"): (typeof documents)["\n  subscription ArticleAdded($filter: ArticleFilter) {\n    articleAdded(filter: $filter) { id title publishedAt source { slug } topics { slug } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;